using Accept.Grains.Hosting.Tls;

namespace Accept.Tests.Grains.Hosting.Tls;

[Trait("Category", "Fast")]
public sealed class AcceptTlsOptionsTests : IDisposable
{
    private const string Password = "s3cret-pfx-Pa55";
    private readonly string _folder = Directory.CreateTempSubdirectory("accept-tls-options-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_certificate_loads_with_the_password_from_settings_a_file_or_the_environment()
    {
        var pfx = Path.Combine(_folder, "node.pfx");
        var made = TestCertificates.WritePfx(pfx, "accept-node", Password);
        var passwordFile = Path.Combine(_folder, "password");
        File.WriteAllText(passwordFile, Password + "\n");

        var (fromSetting, trusted) = AcceptTls.Load(new AcceptTlsOptions { Enabled = true, CertificatePath = pfx, CertificatePassword = Password });
        var (fromFile, _) = AcceptTls.Load(new AcceptTlsOptions { Enabled = true, CertificatePath = pfx, CertificatePasswordFile = passwordFile });

        Assert.Equal(made.Thumbprint, fromSetting.Thumbprint);
        Assert.Equal(made.Thumbprint, fromFile.Thumbprint);
        Assert.True(fromSetting.HasPrivateKey);
        Assert.True(AcceptTls.IsTrusted(made, trusted));
        var other = TestCertificates.WritePfx(Path.Combine(_folder, "other.pfx"), "someone-else", Password);
        Assert.False(AcceptTls.IsTrusted(other, trusted));
    }

    [Fact]
    public void A_wrong_password_or_missing_file_is_one_error_naming_the_setting_and_never_the_password()
    {
        var pfx = Path.Combine(_folder, "node.pfx");
        TestCertificates.WritePfx(pfx, "accept-node", Password);

        var wrong = Assert.Throws<ArgumentException>(() => AcceptTls.Load(new AcceptTlsOptions { Enabled = true, CertificatePath = pfx, CertificatePassword = "not-it-" + Password }));
        var missing = Assert.Throws<ArgumentException>(() => AcceptTls.Load(new AcceptTlsOptions { Enabled = true, CertificatePath = Path.Combine(_folder, "none.pfx"), CertificatePassword = Password }));
        var empty = Assert.Throws<ArgumentException>(() => AcceptTls.Load(new AcceptTlsOptions { Enabled = true }));

        Assert.Contains("Accept:Tls:CertificatePath", wrong.Message);
        Assert.Contains("CertificatePassword", wrong.Message);
        Assert.Contains("does not exist", missing.Message);
        Assert.Contains("Accept:Tls:CertificatePath", empty.Message);
        Assert.All(new[] { wrong, missing, empty }, e => Assert.DoesNotContain(Password, e.Message));
        var options = new AcceptTlsOptions { Enabled = true, CertificatePath = pfx, CertificatePassword = Password };
        Assert.DoesNotContain(Password, options.ToString());
        Assert.Contains(pfx, options.ToString());
    }
}
