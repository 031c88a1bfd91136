using System.Reflection;

namespace Accept.Tests.Platform;

/// <summary>
/// Every test class says what it needs, so `dotnet test --filter Category=Fast` runs the unit tests alone:
/// Fast (no cluster, no child process), Cluster (in-process Orleans clusters) or MultiProcess (starts processes).
/// </summary>
[Trait("Category", "Fast")]
public sealed class TestCategoryTests
{
    private static readonly string[] Categories = ["Fast", "Cluster", "MultiProcess"];

    [Fact]
    public void Every_test_class_has_exactly_one_known_category()
    {
        var testClasses = typeof(TestCategoryTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .ToList();
        Assert.NotEmpty(testClasses);

        var wrong = testClasses
            .Select(t => (Type: t, Values: CustomCategory(t)))
            .Where(x => x.Values.Count != 1 || !Categories.Contains(x.Values[0]))
            .Select(x => $"{x.Type.FullName}: [{string.Join(", ", x.Values)}]")
            .ToList();

        Assert.True(wrong.Count == 0, "test classes without exactly one Category trait (Fast|Cluster|MultiProcess):\n" + string.Join("\n", wrong));
    }

    private static List<string> CustomCategory(Type type) =>
        type.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Category")
            .Select(a => (string)a.ConstructorArguments[1].Value!)
            .ToList();
}
