namespace Accept.Tests;

/// <summary>
/// A temporary folder holding the tiny backbone (<see cref="TinyBackbone"/>), deleted on dispose: the part every
/// tiny run shares. Each test folder's <c>TinyRun</c> adds the tasks and spec its tests need (in-process trainer
/// specs, a CLI spec file, grain specs with train/validation/test splits).
/// </summary>
public abstract class TinyRunFolder : IDisposable
{
    protected TinyRunFolder(string prefix)
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
        Backbone = TinyBackbone.CopyTo(Path.Combine(Root, "backbone"));
    }

    public string Root { get; }

    public string Backbone { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A silo may still hold a file open for a moment; the temp folder is left to the system.
        }
        GC.SuppressFinalize(this);
    }
}
