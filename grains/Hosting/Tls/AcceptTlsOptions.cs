namespace Accept.Grains.Hosting.Tls;

/// <summary>
/// Settings section "Accept:Tls": mutual TLS for silo-to-silo and client-to-gateway traffic. Silos bind it
/// from configuration; the `accept` client reads the same keys from its environment (Accept__Tls__…). The
/// password is never logged: <see cref="ToString"/> leaves it out.
/// </summary>
public sealed class AcceptTlsOptions
{
    public const string Section = "Accept:Tls";
    public const string PasswordVariable = "ACCEPT_TLS_CERTIFICATE_PASSWORD";

    /// <summary>Off by default: plain TCP, as on a trusted network or inside a NetworkPolicy.</summary>
    public bool Enabled { get; set; }

    /// <summary>A PKCS#12 (.pfx) file with this node's certificate and private key.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PKCS#12 password; empty falls back to <see cref="CertificatePasswordFile"/>, then to <see cref="PasswordVariable"/>.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A file whose content (one line) is the PKCS#12 password, e.g. a mounted Kubernetes Secret.</summary>
    public string? CertificatePasswordFile { get; set; }

    /// <summary>
    /// PEM file of further certificates to trust (a CA, or other nodes' certificates); empty trusts only this
    /// node's own certificate, so every silo and client shares one certificate.
    /// </summary>
    public string? TrustedCertificatesPath { get; set; }

    /// <summary>The password from settings, the password file or the environment; empty when none is set.</summary>
    public string ResolvePassword()
    {
        if (!string.IsNullOrEmpty(CertificatePassword))
        {
            return CertificatePassword;
        }
        if (!string.IsNullOrWhiteSpace(CertificatePasswordFile))
        {
            try
            {
                return File.ReadAllText(CertificatePasswordFile).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"{Section}:CertificatePasswordFile '{CertificatePasswordFile}' cannot be read ({e.GetType().Name}).");
            }
        }
        return Environment.GetEnvironmentVariable(PasswordVariable) ?? "";
    }

    public override string ToString() =>
        Enabled ? $"Enabled, CertificatePath={CertificatePath}, TrustedCertificatesPath={TrustedCertificatesPath}" : "Disabled";
}
