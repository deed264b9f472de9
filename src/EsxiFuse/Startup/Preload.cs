using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// Loads, while the tool is still root, everything it needs after it drops to
/// <c>--change-user</c>/<c>--change-group</c>: once dropped it may no longer read its own files
/// (a build in a directory only root may enter, <c>/root</c> or a <c>mktemp -d</c> folder).
/// The JIT builds load assemblies and the message catalogue on first use, which would then be
/// after the drop; the NativeAOT build has all code compiled in, but the catalogue and the TLS
/// library are lazy there too. After this, the tool opens no file of its own.
/// </summary>
internal static class Preload
{
    /// <summary>Loads everything; safe to call more than once.</summary>
    public static void Everything()
    {
        // The catalogue is parsed on first use (YamlDotNet); every later error, warning and
        // syslog record needs it, the last-resort report included.
        _ = Messages.All.Count;
        ReferencedAssemblies();

        // The TLS library (the runtime's OpenSSL shim, next to the tool in a self-contained
        // build) is loaded and initialised on the first cryptographic call.
        _ = SHA256.HashData([]);
    }

    /// <summary>
    /// Every assembly the tool references, directly or through another: the tool's own
    /// libraries and packages (next to it), and the parts of the framework they use.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A reference the trimmer removed is one no code uses: it need not be loaded.")]
    private static void ReferencedAssemblies()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            // NativeAOT: there are no assemblies to load, the code is in the executable.
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>();
        pending.Push(typeof(Preload).Assembly);
        seen.Add(typeof(Preload).Assembly.GetName().Name!);
        while (pending.TryPop(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (name.Name is { } n && seen.Add(n) && TryLoad(name) is { } loaded)
                {
                    pending.Push(loaded);
                }
            }
        }
    }

    /// <summary>A reference the runtime cannot resolve now would fail the same way later: no need to stop here.</summary>
    private static Assembly? TryLoad(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
