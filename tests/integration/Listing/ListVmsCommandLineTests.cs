using System.Text;
using System.Text.Json;

using EsxiImport.Diagnostics;
using EsxiImport.IntegrationTests.Support;
using EsxiImport.Listing.Cli;

namespace EsxiImport.IntegrationTests.Listing;

/// <summary>
/// esxi-listvms's command line against Python's argparse with listvms.py's definition
/// (listvms_args.py): the same help, version, usage errors (exit 2) and parsed values.
/// </summary>
public sealed class ListVmsCommandLineTests
{
    private static readonly string ArgsScript = Path.Combine(AppContext.BaseDirectory, "Listing", "listvms_args.py");

    public static TheoryData<string[]> CommandLines => new()
    {
        Array.Empty<string>(),
        new[] { "-h" },
        new[] { "a", "--help" },
        new[] { "--he" },
        new[] { "-v" },
        new[] { "--version", "--bogus" },
        new[] { "-vh" },
        new[] { "-hv" },
        new[] { "-hx" },
        new[] { "-h=x" },
        new[] { "-hv=x" },
        new[] { "--help=1" },
        new[] { "a", "b" },
        new[] { "a", "b", "--" },
        new[] { "a", "b", "c", "d" },
        new[] { "a", "b", "c", "--x" },
        new[] { "--x", "a", "b", "c", "d" },
        new[] { "a", "b", "c", "-x", "y" },
        new[] { "a", "b", "c", "-x y" },
        new[] { "--port" },
        new[] { "--po" },
        new[] { "--port", "x", "a", "b", "c" },
        new[] { "--port", "x", "-h" },
        new[] { "-h", "--port", "x" },
        new[] { "--port=", "a", "b", "c" },
        new[] { "--port", "--skip-cert-verification", "a", "b", "c" },
        new[] { "--port", "80_", "a", "b", "c" },
        new[] { "--port", "it's", "a", "b", "c" },
        new[] { "--skip=3", "a", "b", "c" },
        new[] { "a", "b", "c" },
        new[] { "h", "--port", "8443", "u", "--skip-cert-verification", "p" },
        new[] { "--po=8443", "--skip", "a", "b", "c" },
        new[] { "--port", " +8_0 ", "a", "b", "c" },
        new[] { "--port", "٨٠", "a", "b", "c" },
        new[] { "--", "-h", "a", "b" },
        new[] { "-1", "b", "c" },
        new[] { "a", "-", "c" },
        new[] { "a", "b", "c", "--port", "9", "--port", "10" },
        new[] { "[::1]", "u", "p" },
        new[] { "--record", "r.har", "--redact", "a", "b", "c" },
        new[] { "a", "--rec=r.har", "b", "--red", "c" },
        new[] { "a", "b", "c", "--record" },
        new[] { "-h", "--re" },
        new[] { "a", "b", "c", "--port", "--re=1" },
        new[] { "--redact=yes", "a", "b", "c" },
        new[] { "--", "--re", "b", "c" },
    };

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task The_command_line_reads_as_argparse_reads_it(string[] args)
    {
        var python = await ChildProcess.RunAsync(
            "/usr/bin/python3", [ArgsScript, ProgramVersion.Text, .. args], environment: new Dictionary<string, string> { ["COLUMNS"] = "80" });
        var pythonOut = Encoding.UTF8.GetString(python.Stdout);

        if (python.Exit == 0 && pythonOut.StartsWith('{'))
        {
            var values = JsonSerializer.Deserialize<JsonElement>(pythonOut);
            var parsed = ListVmsArguments.Parse(args).Should().BeOfType<ListVmsCommandLine.List>().Subject.Arguments;
            parsed.Should().Be(new ListVmsArguments(
                values.GetProperty("host").GetString()!,
                values.GetProperty("user").GetString()!,
                values.GetProperty("passwordFile").GetString()!,
                values.GetProperty("port").GetInt32(),
                values.GetProperty("skip").GetBoolean())
            {
                Record = values.GetProperty("record").GetString(),
                Redact = values.GetProperty("redact").GetBoolean(),
            });
            return;
        }

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ListVmsCommand.RunAsync(args, stdout, stderr);
        (exit, stdout.ToString(), stderr.ToString()).Should().Be((python.Exit, pythonOut, python.Stderr));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("65536")]
    [InlineData("99999999999999999999999")]
    public async Task A_port_outside_1_to_65535_is_a_usage_error_where_argparse_would_try_to_connect(string port)
    {
        var stderr = new StringWriter();
        (await ListVmsCommand.RunAsync(["--port", port, "h", "u", "p"], new StringWriter(), stderr)).Should().Be(2);
        stderr.ToString().Should().EndWith($"esxi-listvms: error: argument --port: invalid port number: '{port}' (1 to 65535)\n");
    }
}
