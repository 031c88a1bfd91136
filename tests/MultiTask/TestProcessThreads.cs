using System.Runtime.CompilerServices;
using Accept.Training.T5;

namespace Accept.Tests.MultiTask;

/// <summary>
/// libtorch's OpenMP threads spin between parallel regions unless told to wait passively, and the wait
/// policy is read once when libtorch loads: set it before any test touches torch. Training the demo in
/// this test process took ten times as long as in `accept train` (which sets it) without this.
/// </summary>
internal static class TestProcessThreads
{
    [ModuleInitializer]
    internal static void PreferPassiveWaiting() => TorchThreads.PreferPassiveWaiting();
}
