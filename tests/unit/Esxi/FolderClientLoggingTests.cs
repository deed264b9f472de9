using EsxiImport.EsxiFuse.Esxi;

using Serilog;
using Serilog.Core;
using Serilog.Events;

using WireMock.ResponseBuilders;

namespace EsxiImport.UnitTests.Esxi;

public sealed class FolderClientLoggingTests : IDisposable
{
    private readonly ScriptedFolderHost _host = new();
    private readonly CollectingSink _sink = new();

    public void Dispose() => _host.Dispose();

    private ILogger Logger() => new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(_sink).CreateLogger();

    [Fact]
    public async Task Throttling_is_logged_as_warnings_with_the_catalogue_text()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(503));
        using var client = new FolderClient(_host.Options(attempts: 3), Logger());

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, 100, 0, new byte[4]).AsTask();

        await act.Should().ThrowAsync<EsxiImport.Diagnostics.ToolError>();
        _sink.Lines(LogEventLevel.Warning).Should().Equal("rate limited, retrying (1 of 3)...", "rate limited, retrying (2 of 3)...");
    }

    [Fact]
    public async Task Other_retries_name_the_file_and_the_reason()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(502));
        using var client = new FolderClient(_host.Options(attempts: 2), Logger());

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, 100, 0, new byte[4]).AsTask();

        await act.Should().ThrowAsync<EsxiImport.Diagnostics.ToolError>();
        _sink.Lines(LogEventLevel.Warning).Should().Equal(
            "request for \"ha-datacenter\"/\"datastore1\"/\"vm1/disk.vmdk\" failed, retrying (1 of 2): http error code 502 Bad Gateway");
    }

    [Fact]
    public async Task Requests_are_logged_at_debug_without_the_password()
    {
        _host.Server.Given(ScriptedFolderHost.Head()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html"));
        using var client = new FolderClient(_host.Options(), Logger());

        await client.StatAsync("ha-datacenter", "datastore1", "vm1");

        _sink.Lines(LogEventLevel.Debug).Should().Contain(l => l.Contains("HEAD", StringComparison.Ordinal));
        _sink.Lines(LogEventLevel.Debug).Should().NotContain(l => l.Contains("s3cret", StringComparison.Ordinal) || l.Contains("cm9vdDpzM2NyZXQ", StringComparison.Ordinal));
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly List<LogEvent> _events = [];

        public void Emit(LogEvent logEvent)
        {
            lock (_events)
            {
                _events.Add(logEvent);
            }
        }

        public List<string> Lines(LogEventLevel level)
        {
            lock (_events)
            {
                return [.. _events.Where(e => e.Level == level).Select(e => e.RenderMessage())];
            }
        }
    }
}
