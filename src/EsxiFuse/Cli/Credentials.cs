namespace EsxiImport.EsxiFuse.Cli;

/// <summary>
/// The user name and password for the host. <see cref="ToString"/> never shows the password, so
/// no log line, error message or debug dump can leak it by accident.
/// </summary>
public sealed class Credentials(string user, string password)
{
    public string User { get; } = user;

    public string Password { get; } = password;

    public override string ToString() => $"{User} (password hidden)";
}
