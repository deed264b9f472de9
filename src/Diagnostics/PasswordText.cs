namespace EsxiImport.Diagnostics;

/// <summary>
/// The one normalisation of a password read from a file or fd (FB-04): strip exactly one trailing
/// <c>\n</c> and, before it, one <c>\r</c>. Upstream strips only the <c>\n</c>; a file written on
/// Windows would then log in with a stray <c>\r</c>. Nothing else is trimmed: spaces and further
/// newlines may be part of a password.
/// </summary>
/// <remarks>
/// It lives in the library both programs share because the listing and the mount tool read the
/// same storage password file: if they normalised it differently, the listing would log in and
/// every later read of the mount would fail with 401.
/// </remarks>
public static class PasswordText
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
            if (text.EndsWith('\r'))
            {
                text = text[..^1];
            }
        }

        return text;
    }
}
