using EsxiImport.Diagnostics;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>One line on what to do about a failed step, chosen by the step and the kind of the deepest cause.</summary>
internal static class FailureHints
{
    public static string For(string step, Exception error) => Messages.Text(step switch
    {
        "manifest" => DeepestKind(error) switch
        {
            ErrorKind.InvalidInput => "diagnose.hint.manifest-invalid",
            _ => "diagnose.hint.manifest-unreadable",
        },
        "accounts" => "diagnose.hint.accounts",
        "mount-options" => "diagnose.hint.mount-options",
        "mount-path" => "diagnose.hint.mount-path",
        "vm-checks" => "diagnose.hint.vm",
        _ => DeepestKind(error) switch
        {
            ErrorKind.Authentication => "diagnose.hint.authentication",
            ErrorKind.Certificate => "diagnose.hint.certificate",
            ErrorKind.Timeout => "diagnose.hint.timeout",
            ErrorKind.RateLimited => "diagnose.hint.rate-limited",
            ErrorKind.NotFound => "diagnose.hint.datastores",
            ErrorKind.Transport => "diagnose.hint.unreachable",
            _ => "diagnose.hint.other",
        },
    });

    /// <summary>The kind of the innermost error that has one (a wrapper's General says nothing).</summary>
    public static ErrorKind DeepestKind(Exception error)
    {
        var kind = ErrorKind.General;
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is ToolError { Kind: not ErrorKind.General } t)
            {
                kind = t.Kind;
            }
        }

        return kind;
    }
}
