using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Accept.Tests.Grains.Hosting.Tls;

/// <summary>Self-signed certificates made in the test, written as password-protected PKCS#12 files.</summary>
internal static class TestCertificates
{
    /// <summary>Writes a self-signed RSA certificate for server and client authentication to <paramref name="path"/>.</summary>
    public static X509Certificate2 WritePfx(string path, string subject, string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: false));
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(sans.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return certificate;
    }
}
