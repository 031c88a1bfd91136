using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Accept.Grains.Hosting.Tls;

/// <summary>
/// Mutual TLS on Orleans connections (silo to silo, client to gateway) from <see cref="AcceptTlsOptions"/>.
/// Both ends present a certificate; a peer is admitted when its certificate is one of the trusted ones
/// (this node's own, and those of <see cref="AcceptTlsOptions.TrustedCertificatesPath"/>) or chains to one of
/// them. Host names are not checked: silos reach each other by IP.
/// </summary>
public static class AcceptTls
{
    public static AcceptTlsOptions FromConfiguration(IConfiguration configuration) =>
        configuration.GetSection(AcceptTlsOptions.Section).Get<AcceptTlsOptions>() ?? new();

    /// <summary>The client's settings: the same keys as the silos', from environment variables (Accept__Tls__Enabled, …).</summary>
    public static AcceptTlsOptions FromEnvironment() =>
        FromConfiguration(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    public static ISiloBuilder ConfigureSilo(ISiloBuilder silo, AcceptTlsOptions options)
    {
        if (!options.Enabled) return silo;
        var (certificate, trusted) = Load(options);
        return silo.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (remote, _, _) => IsTrusted(remote, trusted);
        });
    }

    public static IClientBuilder ConfigureClient(IClientBuilder client, AcceptTlsOptions options)
    {
        if (!options.Enabled) return client;
        var (certificate, trusted) = Load(options);
        return client.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.RemoteCertificateValidation = (remote, _, _) => IsTrusted(remote, trusted);
        });
    }

    /// <summary>The certificate and the trusted set; errors name the setting, never the password.</summary>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Trusted) Load(AcceptTlsOptions options)
    {
        var key = $"{AcceptTlsOptions.Section}:CertificatePath";
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            throw new ArgumentException($"{AcceptTlsOptions.Section}:Enabled is true but {key} is empty; expected a PKCS#12 (.pfx) file.");
        }
        if (!File.Exists(options.CertificatePath))
        {
            throw new ArgumentException($"{key} '{options.CertificatePath}' does not exist; expected a PKCS#12 (.pfx) file.");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.ResolvePassword());
        }
        catch (CryptographicException)
        {
            // The library's message may describe the password; it is not passed on.
            throw new ArgumentException($"{key} '{options.CertificatePath}' is not a PKCS#12 file this password opens " +
                $"(check {AcceptTlsOptions.Section}:CertificatePassword, CertificatePasswordFile or {AcceptTlsOptions.PasswordVariable}).");
        }
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"{key} '{options.CertificatePath}' holds no private key; TLS needs one.");
        }
        var trusted = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(certificate.RawData));
        if (!string.IsNullOrWhiteSpace(options.TrustedCertificatesPath))
        {
            try
            {
                trusted.ImportFromPemFile(options.TrustedCertificatesPath);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"{AcceptTlsOptions.Section}:TrustedCertificatesPath '{options.TrustedCertificatesPath}' is not a readable PEM file of certificates ({e.GetType().Name}).");
            }
        }
        return (certificate, trusted);
    }

    /// <summary>The remote certificate is a trusted one, or chains to one of them.</summary>
    public static bool IsTrusted(X509Certificate2 remote, X509Certificate2Collection trusted)
    {
        if (trusted.Any(t => t.Thumbprint == remote.Thumbprint))
        {
            return true;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote);
    }
}
