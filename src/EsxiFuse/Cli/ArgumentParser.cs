using System.Globalization;
using System.Text;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Os;
using EsxiImport.Fuse.Native;
using EsxiImport.Fuse.Protocol;

using Serilog.Events;

namespace EsxiImport.EsxiFuse.Cli;

/// <summary>
/// Parses the command line the way upstream's tool (pico-args) does, so the unchanged plugin can
/// run us: options anywhere, <c>--opt value</c> or <c>--opt=value</c>, the three positionals
/// left over, and upstream's error texts (<c>missing manifest path</c>, <c>failed to parse 'x':
/// invalid digit found in string</c>, <c>failed to read file "&lt;path&gt;"</c>). Hand-written
/// rather than System.CommandLine: that library words its errors and usage its own way, and the
/// plugin's users know upstream's.
/// A failure throws <see cref="ToolError"/>; the caller prints <c>error: &lt;message&gt;</c> and the usage
/// and exits 1. The password file is read here, as upstream does, so a missing one is an
/// argument error too (FB-03).
/// </summary>
public static class ArgumentParser
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "-o", "--user", "--password", "--password-file", "--password-fd", "--user-file", "--change-user",
        "--change-group", "--ready-fd", "--cache-page-size", "--cache-page-count", "--cache-size",
        "--max-requests", "--log-level", "--record",
    };

    private static readonly HashSet<string> FlagOptions = new(StringComparer.Ordinal)
    {
        "--skip-cert-verification", "--strict", "--debug", "-h", "--help", "-v", "--version",
        "--diagnose", "--diagnose-quick", "--diagnose-json", "--redact",
    };

    /// <param name="args">The arguments after the program name.</param>
    /// <param name="interrupted">Ends a wait for a password file or fd (a signal arrived).</param>
    public static CommandLine Parse(IReadOnlyList<string> args, CancellationToken interrupted = default)
    {
        var values = new List<(string Name, string Value)>();
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var positionals = new List<string>();
        string? unknown = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (FlagOptions.Contains(arg))
            {
                flags.Add(arg);
                continue;
            }

            var (name, inline) = Split(arg);
            if (name is not null && ValueOptions.Contains(name))
            {
                if (inline is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw ToolError.Of("esxi-folder-fuse.args.missing-value", ErrorKind.InvalidInput, ("option", name));
                    }

                    inline = args[++i];
                }

                values.Add((name, inline));
                continue;
            }

            if (arg.Length > 1 && arg[0] == '-')
            {
                unknown ??= arg;
                continue;
            }

            positionals.Add(arg);
        }

        // Help and version win over every other problem, as upstream checks them first.
        if (flags.Contains("-h") || flags.Contains("--help"))
        {
            return new CommandLine.Help();
        }

        if (flags.Contains("-v") || flags.Contains("--version"))
        {
            return new CommandLine.Version();
        }

        if (unknown is not null)
        {
            throw ToolError.Of("esxi-folder-fuse.args.unknown-option", ErrorKind.InvalidInput, ("option", unknown));
        }

        var diagnose = DiagnoseOptionsOf(values, flags);
        var arguments = Build(values, flags, positionals, interrupted, mountPathOptional: diagnose is not null);
        return diagnose is null ? new CommandLine.Mount(arguments) : new CommandLine.Diagnose(arguments, diagnose);
    }

    /// <summary>
    /// The diagnose flags: any of them asks for a report instead of a mount. <c>--redact</c> and
    /// <c>--record</c> only change a report, so alone they are an argument error.
    /// </summary>
    private static DiagnoseOptions? DiagnoseOptionsOf(List<(string Name, string Value)> values, HashSet<string> flags)
    {
        var record = values.LastOrDefault(v => v.Name == "--record").Value;
        var asked = flags.Contains("--diagnose") || flags.Contains("--diagnose-quick") || flags.Contains("--diagnose-json");
        if (!asked)
        {
            return (flags.Contains("--redact") ? "--redact" : record is not null ? "--record" : null) is { } option
                ? throw ToolError.Of("esxi-folder-fuse.args.needs-diagnose", ErrorKind.InvalidInput, ("option", option))
                : null;
        }

        return new DiagnoseOptions
        {
            Quick = flags.Contains("--diagnose-quick"),
            Json = flags.Contains("--diagnose-json"),
            Redact = flags.Contains("--redact"),
            RecordPath = record,
        };
    }

    /// <summary>
    /// The <c>--ready-fd</c> number, found leniently in arguments that failed to parse, so an
    /// argument error can still reach the plugin through the ready fd.
    /// </summary>
    public static int? FindReadyFd(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = Split(args[i]);
            if (name != "--ready-fd")
            {
                continue;
            }

            var value = inline ?? (i + 1 < args.Count ? args[i + 1] : null);
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
            {
                return fd;
            }
        }

        return null;
    }

    private static (string? Name, string? Inline) Split(string arg)
    {
        if (arg.StartsWith("--", StringComparison.Ordinal))
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
        }

        if (arg.StartsWith("-o", StringComparison.Ordinal))
        {
            return arg.Length == 2 ? ("-o", null) : ("-o", arg[2] == '=' ? arg[3..] : arg[2..]);
        }

        return (null, null);
    }

    private static MountArguments Build(List<(string Name, string Value)> values, HashSet<string> flags, List<string> positionals, CancellationToken interrupted, bool mountPathOptional)
    {
        string? Last(string name) => values.LastOrDefault(v => v.Name == name).Value;

        var user = Last("--user") ?? string.Empty;
        var password = Last("--password") ?? string.Empty;
        if (Last("--user-file") is { } userFile)
        {
            (user, password) = ReadUserFile(userFile, interrupted);
        }

        if (Last("--password-file") is { } passwordFile)
        {
            password = PasswordText.Normalize(ReadFile(passwordFile, "esxi-folder-fuse.input.password-file", interrupted));
        }

        if (Last("--password-fd") is { } passwordFd)
        {
            password = PasswordText.Normalize(ReadFd(ParseInt(passwordFd), interrupted));
        }

        LogEventLevel? level = flags.Contains("--debug") ? LogEventLevel.Debug : LogEventLevel.Information;
        if (Last("--log-level") is { } levelText)
        {
            level = LogLevelName.TryParse(levelText, out var parsed)
                ? parsed
                : throw ParseFailure(levelText, Messages.Text("esxi-folder-fuse.args.log-level-invalid"));
        }

        // The positionals come last, as upstream checks them after every option.
        var host = positionals.Count > 0
            ? ParseHost(positionals[0])
            : throw ToolError.Of("esxi-folder-fuse.args.missing-host", ErrorKind.InvalidInput);
        var manifest = positionals.Count > 1
            ? positionals[1]
            : throw ToolError.Of("esxi-folder-fuse.args.missing-manifest", ErrorKind.InvalidInput);
        var mountPath = positionals.Count > 2 ? positionals[2]
            : mountPathOptional ? string.Empty
            : throw ToolError.Of("esxi-folder-fuse.args.missing-mount-path", ErrorKind.InvalidInput);
        if (positionals.Count > 3)
        {
            throw ToolError.Of("esxi-folder-fuse.args.too-many", ErrorKind.InvalidInput);
        }

        return new MountArguments
        {
            Host = host,
            ManifestPath = manifest,
            MountPath = mountPath,
            Credentials = new Credentials(user, password),
            MountOptions = values.Where(v => v.Name == "-o")
                .SelectMany(v => v.Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                .ToArray(),
            ChangeUser = Last("--change-user"),
            ChangeGroup = Last("--change-group"),
            ReadyFd = Last("--ready-fd") is { } fd ? ParseInt(fd) : null,
            SkipCertificateVerification = flags.Contains("--skip-cert-verification"),
            CachePageSize = Last("--cache-page-size") is { } ps ? Positive(ParseLong(ps), "--cache-page-size") : null,
            CachePageCount = Last("--cache-page-count") is { } pc ? (int)Positive(ParseInt(pc), "--cache-page-count") : null,
            CacheSize = Last("--cache-size") is { } cs ? Positive(ParseLong(cs), "--cache-size") : null,
            MaxRequests = Last("--max-requests") is { } mr ? (int)Positive(ParseInt(mr), "--max-requests") : null,
            Strict = flags.Contains("--strict"),
            PasswordFile = Last("--password-file"),
            Debug = flags.Contains("--debug"),
            LogLevel = level,
        };
    }

    private static long Positive(long value, string option) =>
        value > 0 ? value : throw ToolError.Of("esxi-folder-fuse.args.not-positive", ErrorKind.InvalidInput, ("option", option));

    private static int ParseInt(string text)
    {
        var value = ParseLong(text);
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw ParseFailure(text, Messages.Text("esxi-folder-fuse.args.int-overflow"));
    }

    /// <summary>Integer parsing with the three texts of Rust's <c>ParseIntError</c>.</summary>
    private static long ParseLong(string text)
    {
        var digits = text.StartsWith('+') || text.StartsWith('-') ? text[1..] : text;
        if (text.Length == 0)
        {
            throw ParseFailure(text, Messages.Text("esxi-folder-fuse.args.int-empty"));
        }

        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            throw ParseFailure(text, Messages.Text("esxi-folder-fuse.args.int-invalid"));
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ParseFailure(text, Messages.Text("esxi-folder-fuse.args.int-overflow"));
    }

    /// <summary>
    /// The host positional, parsed by the /folder client's own parser so both agree on every form.
    /// Its errors are mapped (not wrapped) to the upstream CLI's one-line argument error.
    /// </summary>
    private static HostAddress ParseHost(string text)
    {
        try
        {
            return HostAddress.Parse(text);
        }
        catch (ToolError e) when (e.Kind == ErrorKind.InvalidInput)
        {
            throw ToolError.Of("esxi-folder-fuse.args.bad-host", ErrorKind.InvalidInput, ("host", text));
        }
    }

    private static ToolError ParseFailure(string value, string reason) =>
        ToolError.Of("esxi-folder-fuse.args.parse", ErrorKind.InvalidInput, ("value", value), ("reason", reason));

    /// <summary>A password or user file: small (<see cref="BoundedInput.SecretLimit"/>), UTF-8, and there within the wait.</summary>
    private static string ReadFile(string path, string inputId, CancellationToken interrupted)
    {
        try
        {
            var input = Messages.Format(inputId, ("path", DebugQuote.Of(path)));
            return StrictUtf8.GetString(BoundedInput.ReadFile(path, input, BoundedInput.SecretLimit, BoundedInput.DefaultWait, interrupted));
        }
        catch (Exception e) when (e is DecoderFallbackException || (e is ToolError t && !BoundedInput.IsLimit(t)))
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.args.read-file", ErrorKind.InvalidInput, ("path", DebugQuote.Of(path)));
        }
    }

    private static (string User, string Password) ReadUserFile(string path, CancellationToken interrupted)
    {
        var lines = ReadFile(path, "esxi-folder-fuse.input.user-file", interrupted).Split('\n');
        if (lines.Length < 2 || lines[0].TrimEnd('\r').Length == 0)
        {
            throw ToolError.Of("esxi-folder-fuse.args.user-file-format", ErrorKind.InvalidInput, ("path", DebugQuote.Of(path)));
        }

        return (lines[0].TrimEnd('\r'), PasswordText.Normalize(string.Join('\n', lines[1..])));
    }

    private static string ReadFd(int fd, CancellationToken interrupted)
    {
        byte[] bytes;
        try
        {
            var input = Messages.Format("esxi-folder-fuse.input.password-fd", ("fd", fd));
            bytes = BoundedInput.ReadDescriptor(fd, input, BoundedInput.SecretLimit, BoundedInput.DefaultWait, interrupted);
        }
        catch (ToolError e) when (!BoundedInput.IsLimit(e))
        {
            throw ToolError.Wrap(e, "esxi-folder-fuse.args.read-password-fd", ErrorKind.InvalidInput);
        }

        _ = LibC.Close(fd);
        return Encoding.UTF8.GetString(bytes);
    }

}
