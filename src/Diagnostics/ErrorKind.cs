namespace EsxiImport.Diagnostics;

/// <summary>
/// What sort of failure a <see cref="ToolError"/> reports. The FUSE edge maps kinds to errno in
/// one place, and retry policies decide on kinds, so the kind travels with the error instead of
/// being guessed from message text.
/// </summary>
public enum ErrorKind
{
    /// <summary>Nothing more specific is known; the chain's inner errors may say more.</summary>
    General,

    /// <summary>The input (a file, an argument, a response body) does not have the required form.</summary>
    InvalidInput,

    /// <summary>The named object does not exist (HTTP 404, missing file, unknown datastore).</summary>
    NotFound,

    /// <summary>The name refers to a directory where a file was expected.</summary>
    IsDirectory,

    /// <summary>Credentials were refused (HTTP 401, InvalidLogin).</summary>
    Authentication,

    /// <summary>The server certificate could not be verified.</summary>
    Certificate,

    /// <summary>The connection could not be made or broke (refused, reset, DNS, TLS handshake).</summary>
    Transport,

    /// <summary>An operation did not finish within its time budget.</summary>
    Timeout,

    /// <summary>The server throttled us (HTTP 503) beyond the retry budget.</summary>
    RateLimited,

    /// <summary>The server answered, but not as the protocol requires (wrong type, short body).</summary>
    Protocol,

    /// <summary>A local system call failed; <see cref="ToolError.Errno"/> carries the errno.</summary>
    System,
}
