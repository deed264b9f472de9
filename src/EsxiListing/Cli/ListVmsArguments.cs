using EsxiImport.Diagnostics;

namespace EsxiImport.Listing.Cli;

/// <summary>
/// listvms.py's command line, <c>[-h] [--skip-cert-verification] [--port PORT] hostname username
/// password_file</c> (plus <c>-v/--version</c>), read the way Python's argparse reads it, so the
/// plugin and a person at the shell get what they got from upstream: options anywhere, unique
/// prefixes of long options (<c>--skip</c>, <c>--po=8443</c>), <c>--</c> ending the options,
/// <c>-1</c> taken as a value, combined flags (<c>-hv</c>), <c>-h</c>/<c>-v</c> acting where they
/// stand (after an earlier bad value, before later problems), missing and extra arguments
/// reported after the scan. Problems are <see cref="ToolError"/>s worded as argparse words them;
/// <see cref="ListVmsCommand"/> prints them under the usage and exits 2, as argparse does.
/// </summary>
public sealed record ListVmsArguments(string Host, string User, string PasswordFile, int Port, bool SkipCertificateVerification)
{
    /// <summary>Where to write the recording of the exchange with the host (<c>--record FILE</c>); null records nothing.</summary>
    public string? Record { get; init; }

    /// <summary>Replace host, datacenter, datastore and VM names in the recording (<c>--redact</c>).</summary>
    public bool Redact { get; init; }

    // Options by the name argparse shows in its errors.
    private const string Help = "-h/--help";
    private const string Version = "-v/--version";
    private const string Skip = "--skip-cert-verification";
    private const string PortOption = "--port";
    private const string RecordOption = "--record";
    private const string RedactOption = "--redact";

    private static readonly (string Long, string Option)[] LongOptions =
        [("--help", Help), ("--version", Version), (Skip, Skip), (PortOption, PortOption), (RecordOption, RecordOption), (RedactOption, RedactOption)];

    private static readonly string[] PositionalNames = ["hostname", "username", "password_file"];

    public static ListVmsCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var positional = new List<string>();
        var leftovers = new List<string>();
        RejectAmbiguous(args);
        var port = 443;
        var skip = false;
        string? record = null;
        var redact = false;
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!optionsEnded && arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (optionsEnded || !LooksLikeOption(arg))
            {
                (positional.Count < PositionalNames.Length ? positional : leftovers).Add(arg);
                continue;
            }

            var (option, inline) = Resolve(arg);
            switch (option)
            {
                case null:
                    leftovers.Add(arg);
                    break;
                case PortOption or RecordOption:
                    var value = inline ?? (i + 1 < args.Count && args[i + 1] != "--" && !LooksLikeOption(args[i + 1])
                        ? args[++i]
                        : throw ToolError.Of("listing.args.expected-one", ErrorKind.InvalidInput, ("option", option)));
                    if (option == PortOption)
                    {
                        port = ParsePort(value);
                    }
                    else
                    {
                        record = value;
                    }

                    break;
                default:
                    if (inline is not null)
                    {
                        throw ToolError.Of("listing.args.explicit-argument", ErrorKind.InvalidInput, ("option", option), ("value", PythonText.Repr(inline)));
                    }

                    if (option is Skip or RedactOption)
                    {
                        skip |= option == Skip;
                        redact |= option == RedactOption;
                        break;
                    }

                    return option == Help ? new ListVmsCommandLine.Help() : new ListVmsCommandLine.Version();
            }
        }

        if (positional.Count < PositionalNames.Length)
        {
            throw ToolError.Of("listing.args.required", ErrorKind.InvalidInput, ("names", string.Join(", ", PositionalNames[positional.Count..])));
        }

        return leftovers.Count > 0
            ? throw ToolError.Of("listing.args.unrecognized", ErrorKind.InvalidInput, ("args", string.Join(' ', leftovers)))
            : new ListVmsCommandLine.List(new ListVmsArguments(positional[0], positional[1], positional[2], port, skip) { Record = record, Redact = redact });
    }

    /// <summary>
    /// argparse sorts every argument before it acts on any (up to <c>--</c>): a long-option prefix
    /// that fits several options is an error even after <c>-h</c> or as a value.
    /// </summary>
    private static void RejectAmbiguous(IReadOnlyList<string> args)
    {
        foreach (var arg in args.TakeWhile(a => a != "--").Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg : arg[..eq];
            var matches = LongOptions.Where(o => name.Length > 2 && o.Long.StartsWith(name, StringComparison.Ordinal)).Select(o => o.Long).ToList();
            if (matches.Count > 1 && !matches.Contains(name))
            {
                throw ToolError.Of("listing.args.ambiguous", ErrorKind.InvalidInput, ("option", arg), ("matches", string.Join(", ", matches)));
            }
        }
    }

    /// <summary>
    /// argparse's rule: a leading '-' makes an option, except a lone '-', a negative number, and
    /// text with a space that names no option.
    /// </summary>
    private static bool LooksLikeOption(string arg) =>
        arg.Length >= 2 && arg[0] == '-'
        && (Resolve(arg).Option is not null || (!IsNegativeNumber(arg) && !arg.Contains(' ', StringComparison.Ordinal)));

    /// <summary>argparse's <c>^-\d+$|^-\d*\.\d+$</c>.</summary>
    private static bool IsNegativeNumber(string arg)
    {
        var body = arg.AsSpan(1);
        var dot = body.IndexOf('.');
        var whole = dot < 0 ? body : body[..dot];
        var fraction = dot < 0 ? "0" : body[(dot + 1)..];
        return !whole.ContainsAnyExceptInRange('0', '9') && fraction.Length > 0 && !fraction.ContainsAnyExceptInRange('0', '9')
            && (dot >= 0 || whole.Length > 0);
    }

    /// <summary>The option an argument names, and the text it carries (<c>=value</c>, or what follows combined flags).</summary>
    private static (string? Option, string? Inline) Resolve(string arg)
    {
        if (arg.StartsWith("--", StringComparison.Ordinal))
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg : arg[..eq];
            var inline = eq < 0 ? null : arg[(eq + 1)..];
            var exact = LongOptions.Where(o => o.Long == name).Select(o => o.Option).FirstOrDefault();
            var prefixed = LongOptions.Where(o => name.Length > 2 && o.Long.StartsWith(name, StringComparison.Ordinal)).ToList();
            return (exact ?? (prefixed.Count == 1 ? prefixed[0].Option : null), inline);
        }

        if (arg.Length > 2 && arg[2] == '=')
        {
            return (ShortFlag(arg[1]), ShortFlag(arg[1]) is null ? null : arg[3..]);
        }

        // -h, -v, or flags run together (-hv); text after the last flag is that flag's value.
        var flags = arg.Skip(1).TakeWhile(c => ShortFlag(c) is not null).Count();
        return flags == 0 ? (null, null)
            : flags == arg.Length - 1 ? (ShortFlag(arg[1]), null)
            : (ShortFlag(arg[flags]), arg[(flags + 1)..]);
    }

    private static string? ShortFlag(char c) => c switch
    {
        'h' => Help,
        'v' => Version,
        _ => null,
    };

    /// <summary>Python's <c>int()</c>, then a port range (argparse has none: ours refuses 0 and 70000 here, not at connect).</summary>
    private static int ParsePort(string value)
    {
        if (!PythonText.TryParseInt(value, out var number))
        {
            throw ToolError.Of("listing.args.invalid-int", ErrorKind.InvalidInput, ("option", PortOption), ("value", PythonText.Repr(value)));
        }

        return number is >= 1 and <= 65535
            ? (int)number
            : throw ToolError.Of("listing.args.bad-port", ErrorKind.InvalidInput, ("option", PortOption), ("value", PythonText.Repr(value)));
    }
}
