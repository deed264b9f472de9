using System.Text.Json;

using EsxiImport.Emulator.Faults;

namespace EsxiImport.Emulator.Cli;

/// <summary>
/// The counters of a standalone emulator as one JSON object, written by <c>--counters-file</c> at
/// shutdown so a benchmark can tell how many requests a client sent.
/// </summary>
public static class CountersJson
{
    public static string Render(EmulatorCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return JsonSerializer.Serialize(new Dictionary<string, long>
        {
            ["requests"] = counters.Requests,
            ["folderRequests"] = counters.FolderRequests,
            ["sdkRequests"] = counters.SdkRequests,
            ["bytesSent"] = counters.BytesSent,
            ["rejectedBusy"] = counters.RejectedBusy,
            ["authFailures"] = counters.AuthFailures,
            ["sessionsCreated"] = counters.SessionsCreated,
            ["maxFolderInFlight"] = counters.MaxFolderInFlight,
            ["faultHits"] = counters.AllFaultHits,
            ["maxConnectionsOpen"] = counters.MaxConnectionsOpen,
            ["connectionsRefused"] = counters.ConnectionsRefused,
        }) + "\n";
    }
}
