using System.CommandLine;
using Accept.Client.Options;

namespace Accept.Tests.Client.Options;

[Trait("Category", "Fast")]
public sealed class CountListOptionTests
{
    private static ParseResult Parse(params string[] args)
    {
        var option = CountListOption.Create("--pushers", "Concurrent pusher counts", 1, 1000, 8, 32, 128);
        return new RootCommand { option }.Parse(args);
    }

    private static IReadOnlyList<int>? Value(ParseResult parse) => parse.GetValue<IReadOnlyList<int>>("--pushers");

    [Fact]
    public void A_list_is_parsed_in_order_and_the_default_applies_when_absent()
    {
        Assert.Equal([4, 16, 1000], Value(Parse("--pushers", "4, 16,1000")));
        Assert.Equal([8, 32, 128], Value(Parse()));
    }

    [Theory]
    [InlineData("0,8", "--pushers: '0' is not a count from 1 to 1,000 (e.g. --pushers 8,32,128).")]
    [InlineData("8,x", "--pushers: 'x' is not a count from 1 to 1,000")]
    [InlineData("-3", "--pushers: '-3' is not a count")]
    [InlineData("1001", "--pushers: '1001' is not a count")]
    [InlineData(",", "--pushers: give at least one count (e.g. --pushers 8,32,128).")]
    public void A_bad_entry_is_a_parse_error_naming_the_flag_and_the_entry(string value, string expected)
    {
        var parse = Parse("--pushers", value);

        var error = Assert.Single(parse.Errors);
        Assert.StartsWith(expected, error.Message);
    }
}
