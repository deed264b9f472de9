using System.Globalization;

using EsxiImport.IntegrationTests.Support;

namespace EsxiImport.IntegrationTests.Peers.Netfilter;

/// <summary>
/// A connection limit the Linux kernel enforces in front of one loopback port: netfilter's
/// connlimit match answers the SYN of every connection above <c>limit</c> with a TCP reset, so
/// the client's connect fails with ECONNREFUSED while the connections it has keep working. The
/// emulator never sees the refused ones. Added with <c>iptables -I</c> and removed on dispose,
/// whether the test passed or not; the comment names the rule for a hand cleanup after a crash.
/// </summary>
internal sealed class ConnectionLimitRule : IAsyncDisposable
{
    private const string Comment = "esxi-import-test-connlimit";
    private readonly string[] _match;

    private ConnectionLimitRule(int port, int limit)
    {
        _match =
        [
            "OUTPUT", "-o", "lo", "-p", "tcp", "--syn", "--dport", port.ToString(CultureInfo.InvariantCulture),
            "-m", "connlimit", "--connlimit-above", limit.ToString(CultureInfo.InvariantCulture), "--connlimit-mask", "32",
            "-m", "comment", "--comment", Comment,
            "-j", "REJECT", "--reject-with", "tcp-reset",
        ];
    }

    /// <summary>Puts the rule in place; throws with iptables' own words when it cannot.</summary>
    public static async Task<ConnectionLimitRule> AddAsync(int port, int limit)
    {
        var rule = new ConnectionLimitRule(port, limit);
        await RunAsync(["-w", "-I", .. rule._match]);
        return rule;
    }

    public async ValueTask DisposeAsync() => await RunAsync(["-w", "-D", .. _match]);

    private static async Task RunAsync(string[] args)
    {
        var (exit, _, stderr) = await ChildProcess.RunAsync("iptables", args);
        if (exit != 0)
        {
            throw new InvalidOperationException($"iptables {string.Join(' ', args)} exited {exit}: {stderr.Trim()} (scripts/install-deps.sh installs iptables)");
        }
    }
}
