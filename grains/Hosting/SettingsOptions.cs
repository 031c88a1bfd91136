using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Accept.Grains.Hosting;

/// <summary>
/// Settings that exist before their host (Orleans' clustering and endpoints are built from them): the silo binds them
/// from configuration, the embedded cluster and tests make them in code. One validator per section checks them up
/// front (<see cref="ThrowIfInvalid"/>) and, registered with <c>ValidateOnStart</c>, again as the host starts, on the
/// very instance the host's services read (<see cref="Add"/>).
/// </summary>
public static class SettingsOptions
{
    /// <summary>Throws <see cref="ArgumentException"/> with the failures in one line (what `accept` and the silo report as bad input).</summary>
    public static void ThrowIfInvalid<T>(IValidateOptions<T> validator, T options) where T : class
    {
        if (validator.Validate(Options.DefaultName, options) is { Failed: true } result)
            throw new ArgumentException(result.FailureMessage);
    }

    /// <summary>Registers <paramref name="value"/> as <see cref="IOptions{T}"/>, validated by <paramref name="validator"/> as the host starts.</summary>
    public static void Add<T>(IServiceCollection services, T value, IValidateOptions<T> validator) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(validator);
        services.AddSingleton<IOptionsFactory<T>>(sp => new Given<T>(value, sp.GetServices<IConfigureOptions<T>>(), sp.GetServices<IPostConfigureOptions<T>>(),
            sp.GetServices<IValidateOptions<T>>()));
        services.AddOptions<T>().ValidateOnStart();
    }

    internal static ValidateOptionsResult Result(IEnumerable<string> failures) =>
        failures.ToList() is { Count: > 0 } list ? ValidateOptionsResult.Fail(list) : ValidateOptionsResult.Success;

    /// <summary>The options system's factory (configure, post-configure, validate) over the given instance instead of a new one.</summary>
    private sealed class Given<T>(T value, IEnumerable<IConfigureOptions<T>> setups, IEnumerable<IPostConfigureOptions<T>> postConfigures,
        IEnumerable<IValidateOptions<T>> validations) : OptionsFactory<T>(setups, postConfigures, validations) where T : class
    {
        protected override T CreateInstance(string name) => value;
    }
}
