namespace EsxiImport.Diagnostics;

/// <summary>
/// The one error type of the project: a message from the catalogue (<c>spec/messages.yaml</c>)
/// plus the cause it wraps. Each step that knows something about a failure wraps the error it
/// got with its own context, so the chain reads from the outermost step down to the root cause
/// (the rule from the seed thread: context is added where the information lives).
/// </summary>
public sealed class ToolError : Exception
{
    private ToolError(string messageId, string message, ErrorKind kind, int? errno, Exception? cause)
        : base(message, cause)
    {
        MessageId = messageId;
        Kind = kind;
        Errno = errno;
    }

    /// <summary>The catalogue id the message was formatted from.</summary>
    public string MessageId { get; }

    /// <summary>The kind of failure; inherited from the cause unless the wrapper says otherwise.</summary>
    public ErrorKind Kind { get; }

    /// <summary>The errno of a failed system call, where one caused this error.</summary>
    public int? Errno { get; }

    /// <summary>Creates a root error (no cause) from a catalogue message.</summary>
    public static ToolError Of(string messageId, ErrorKind kind, params (string Name, object? Value)[] args) =>
        new(messageId, Messages.Format(messageId, args), kind, null, null);

    /// <summary>Creates a root error for a failed system call, carrying its errno.</summary>
    public static ToolError OfErrno(string messageId, int errno, params (string Name, object? Value)[] args) =>
        new(messageId, Messages.Format(messageId, args), ErrorKind.System, errno, null);

    /// <summary>
    /// Wraps <paramref name="cause"/> with the context of the current step. The kind and errno of
    /// a <see cref="ToolError"/> cause are kept unless <paramref name="kind"/> overrides them.
    /// </summary>
    public static ToolError Wrap(Exception cause, string messageId, params (string Name, object? Value)[] args) =>
        Wrap(cause, messageId, null, args);

    /// <summary>Wraps <paramref name="cause"/> and sets the kind explicitly.</summary>
    public static ToolError Wrap(Exception cause, string messageId, ErrorKind? kind, params (string Name, object? Value)[] args)
    {
        ArgumentNullException.ThrowIfNull(cause);
        return new ToolError(messageId, Messages.Format(messageId, args), kind ?? KindOf(cause), ErrnoOf(cause), cause);
    }

    /// <summary>
    /// The messages of this error and every cause, outermost first. Consecutive duplicates are
    /// dropped: a step that re-states its cause's text must not print the same line twice.
    /// </summary>
    public IReadOnlyList<string> Chain() => ErrorChain.Of(this);

    private static ErrorKind KindOf(Exception e) => e switch
    {
        ToolError t => t.Kind,
        TimeoutException or TaskCanceledException => ErrorKind.Timeout,
        System.Net.Sockets.SocketException or System.Net.Http.HttpRequestException => ErrorKind.Transport,
        System.Security.Authentication.AuthenticationException => ErrorKind.Certificate,
        FileNotFoundException or DirectoryNotFoundException => ErrorKind.NotFound,
        UnauthorizedAccessException => ErrorKind.System,
        _ => ErrorKind.General,
    };

    private static int? ErrnoOf(Exception e) => e switch
    {
        ToolError t => t.Errno,
        FileNotFoundException or DirectoryNotFoundException => 2,
        UnauthorizedAccessException => 13,
        _ => null,
    };
}
