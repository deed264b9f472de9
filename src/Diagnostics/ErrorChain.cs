namespace EsxiImport.Diagnostics;

/// <summary>Flattens an exception and its causes into the lines a user reads.</summary>
public static class ErrorChain
{
    /// <summary>
    /// The message of <paramref name="error"/> and of every inner exception, outermost first,
    /// without consecutive duplicates and without empty messages. An AggregateException
    /// contributes its first inner exception (the one that ended the operation).
    /// </summary>
    public static IReadOnlyList<string> Of(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var lines = new List<string>();
        for (Exception? e = error; e is not null; e = Next(e))
        {
            if (e is AggregateException && e.InnerException is not null)
            {
                continue;
            }

            var text = OneLine(e.Message);
            if (text.Length == 0 || (lines.Count > 0 && lines[^1] == text))
            {
                continue;
            }

            lines.Add(text);
        }

        return lines;
    }

    /// <summary>
    /// A message as one line: line breaks (which a server text may carry) become spaces, so one
    /// record never splits into two on the way to the user, and any other control character
    /// (from a name in a manifest or on the host) is escaped. Every rendering of an error —
    /// stderr, syslog, the ready fd — goes through here.
    /// </summary>
    public static string OneLine(string text) =>
        ControlCharacters.Escape(text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ').Trim());

    private static Exception? Next(Exception e) =>
        e is AggregateException agg && agg.InnerExceptions.Count > 0 ? agg.InnerExceptions[0] : e.InnerException;
}
