using Accept.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Accept.Tests.Grains.Hosting;

/// <summary>One set of rules per settings section: checked up front, and by the options system (ValidateOnStart) on the
/// very instance the host's services read.</summary>
[Trait("Category", "Fast")]
public sealed class SettingsOptionsTests
{
    [Fact]
    public void Up_front_every_bad_key_of_a_section_is_named_in_one_line()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SettingsOptions.ThrowIfInvalid(AcceptSiloOptionsValidator.Instance, new AcceptSiloOptions { Slots = 0, Aggregation = "tree" }));

        Assert.Equal("Accept:Silo:Slots is 0; expected at least 1.; Accept:Silo:Aggregation is 'tree'; expected 'hierarchical' or 'flat'.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void The_host_reads_the_given_instance_and_validates_it_on_start_with_the_same_rules()
    {
        var given = new AcceptSiloOptions { Slots = 3 };
        var services = new ServiceCollection();
        SettingsOptions.Add(services, given, AcceptSiloOptionsValidator.Instance);
        using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            Assert.Same(given, provider.GetRequiredService<IOptions<AcceptSiloOptions>>().Value);
        }

        given.Slots = 0;
        using var bad = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal("Accept:Silo:Slots is 0; expected at least 1.", error.Message);
        Assert.Same(AcceptSiloOptionsValidator.Instance, Assert.Single(bad.GetServices<IValidateOptions<AcceptSiloOptions>>()));
    }

    [Fact]
    public void A_client_with_a_bad_cluster_section_is_refused_naming_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SettingsOptions.ThrowIfInvalid(AcceptClusterOptionsValidator.Instance, new AcceptClusterOptions { GatewayPort = 70000, ProbeTimeoutSeconds = -1 }));

        Assert.Equal("Accept:Cluster:GatewayPort is 70000; expected a TCP port from 1 to 65535.; Accept:Cluster:ProbeTimeoutSeconds is -1; expected a positive number of seconds.", error.Message);
    }
}
