namespace EsxiImport.EsxiFuse.Cli;

/// <summary>
/// The one normalisation of a password read from a file or fd (FB-04): strip exactly one trailing
/// <c>\n</c> and, before it, one <c>\r</c>. Upstream strips only the <c>\n</c>; a file written on
/// Windows would then log in with a stray <c>\r</c>. Nothing else is trimmed: spaces and further
/// newlines may be part of a password.
/// </summary>
public static class PasswordText
{
    public static string Normalize(string text)
    {
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