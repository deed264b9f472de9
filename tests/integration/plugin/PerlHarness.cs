using System.Diagnostics;
using System.Globalization;

using EsxiImport.TestSupport.Plugin;

namespace EsxiImport.IntegrationTests.Plugin;

/// <summary>Runs tests/integration/plugin/esxi_mount_harness.pl for a launch request.</summary>
public static class PerlHarness
{
    public static async Task<string> RunAsync(PluginLaunchRequest request)
    {
        var start = new ProcessStartInfo("perl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ToolUnderTest.HarnessPath);
        start.ArgumentList.Add("--variant");
        start.ArgumentList.Add(request.Variant switch
        {
            PluginVariant.Today => "today",
            PluginVariant.May2024 => "may2024",
            _ => "pre2025",
        });
        start.ArgumentList.Add("--timeout");
        start.ArgumentList.Add(((int)Math.Ceiling(request.Timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        if (request.SkipCertificateVerification)
        {
            start.ArgumentList.Add("--skip-cert-verification");
        }

        foreach (var (name, value) in new[]
        {
            ("--change-user", request.ChangeUser), ("--change-group", request.ChangeGroup), ("-o", request.MountOptions),
            ("--user", request.User), ("--password-file", request.PasswordFile),
        })
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value);
        }

        foreach (var a in new[] { request.Host, request.ManifestPath, request.MountPath, "--" }.Concat(request.ToolCommand))
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in request.Environment)
        {
            start.Environment[name] = value;
        }

        using var p = Process.Start(start)!;

        // One line, then the harness exits. The tool inherits the harness's stdout and stderr (as
        // it inherits the worker's), so a healthy tool keeps both pipes open: read the line and
        // wait for the exit, never for EOF.
        using var cts = new CancellationTokenSource(request.Timeout + TimeSpan.FromSeconds(30));
        string? line;
        try
        {
            line = await p.StandardOutput.ReadLineAsync(cts.Token);
            await p.WaitForExitAsync(cts.Token);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill();
            }
        }

        p.ExitCode.Should().Be(0, "the harness itself must not fail");
        line.Should().NotBeNull("the harness prints its verdict before it exits");
        return line!;
    }
}
