using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

using WireMock.ResponseBuilders;

namespace EsxiImport.UnitTests.Esxi;

public sealed class FolderClientRangeTests : IDisposable
{
    private const long Size = 100;

    private readonly ScriptedFolderHost _host = new();
    private readonly byte[] _file = ScriptedFolderHost.Bytes((int)Size);

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_206_with_the_matching_range_fills_the_buffer_and_sends_range_and_basic_auth()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(ScriptedFolderHost.Partial(_file, 10, 19));
        using var client = _host.Client();
        var buffer = new byte[10];

        var read = await client.ReadAsync(ScriptedFolderHost.Disk, Size, 10, buffer);

        read.Should().Be(10);
        buffer.Should().Equal(_file[10..20]);
        var request = _host.Requests.Single();
        ScriptedFolderHost.Header(request, "Range").Should().Be("bytes=10-19");
        ScriptedFolderHost.Header(request, "Authorization").Should().Be("Basic " + Convert.ToBase64String("root:s3cret"u8.ToArray()));
        request.RequestMessage.Query!["dcPath"].ToString().Should().Be("ha-datacenter");
        request.RequestMessage.Query!["dsName"].ToString().Should().Be("datastore1");
    }

    [Fact]
    public async Task A_read_past_the_end_asks_only_for_the_bytes_the_file_has()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(ScriptedFolderHost.Partial(_file, 90, 99));
        using var client = _host.Client();
        var buffer = new byte[32];

        var read = await client.ReadAsync(ScriptedFolderHost.Disk, Size, 90, buffer);

        read.Should().Be(10);
        buffer[..10].Should().Equal(_file[90..]);
        ScriptedFolderHost.Header(_host.Requests.Single(), "Range").Should().Be("bytes=90-99");
    }

    [Fact]
    public async Task At_or_after_the_end_nothing_is_asked()
    {
        using var client = _host.Client();

        (await client.ReadAsync(ScriptedFolderHost.Disk, Size, Size, new byte[8])).Should().Be(0);
        (await client.ReadAsync(ScriptedFolderHost.Disk, Size, 5000, new byte[8])).Should().Be(0);

        _host.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_416_inside_the_file_contradicts_its_size_and_is_retried_never_an_end_of_file()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).InScenario("416").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(416).WithHeader("Content-Range", "bytes */10"));
        _host.Server.Given(ScriptedFolderHost.Get()).InScenario("416").WhenStateIs("ok").RespondWith(ScriptedFolderHost.Partial(_file, 50, 59));
        using var client = _host.Client();
        var buffer = new byte[10];

        (await client.ReadAsync(ScriptedFolderHost.Disk, Size, 50, buffer)).Should().Be(10);

        buffer.Should().Equal(_file[50..60]);
        _host.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_416_on_every_attempt_fails_naming_the_contradiction()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(416).WithHeader("Content-Range", "bytes */10"));
        using var client = _host.Client(attempts: 2);

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 50, new byte[10]).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.Protocol);
        error.Chain().Should().Equal(
            "error reading \"ha-datacenter\"/\"datastore1\"/\"vm1/disk.vmdk\" bytes 50-59",
            "the host refused bytes 50-59 (416) of a file of 100 bytes");
        _host.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_503_is_retried_and_the_later_success_is_returned()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).InScenario("busy").WillSetStateTo("free")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("503 Service Unavailable"));
        _host.Server.Given(ScriptedFolderHost.Get()).InScenario("busy").WhenStateIs("free")
            .RespondWith(ScriptedFolderHost.Partial(_file, 0, 9));
        using var client = _host.Client();
        var buffer = new byte[10];

        (await client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, buffer)).Should().Be(10);

        buffer.Should().Equal(_file[..10]);
        client.Statistics.Retries.Should().Be(1);
        client.Statistics.Requests.Should().Be(2);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Throttling_beyond_the_retry_budget_is_a_rate_limited_error_naming_the_file(int status)
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(status));
        using var client = _host.Client(attempts: 3);

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.RateLimited);
        error.Chain().Should().Equal("error reading \"ha-datacenter\"/\"datastore1\"/\"vm1/disk.vmdk\" bytes 0-9", "rate limited");
        _host.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_500_that_never_ends_fails_after_the_bounded_attempts()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(500));
        using var client = _host.Client(attempts: 4);

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Chain()[^1].Should().Be("http error code 500 Internal Server Error");
        _host.Requests.Should().HaveCount(4);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(405)]
    [InlineData(409)]
    public async Task Another_client_error_is_final_and_not_retried(int status)
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(status));
        using var client = _host.Client(attempts: 4);

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.General);
        error.Chain()[^1].Should().StartWith($"http error code {status}");
        _host.Requests.Should().HaveCount(1);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    public async Task A_redirect_names_status_and_location_and_is_neither_followed_nor_retried(int status)
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", "/folder/elsewhere?dcPath=x"));
        using var client = _host.Client(attempts: 4);

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.General);
        error.Chain()[^1].Should().MatchRegex($"^http error code {status} .*: the host redirects to /folder/elsewhere\\?dcPath=x \\(not followed\\)$");
        _host.Requests.Should().HaveCount(1);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("long")]
    [InlineData("html")]
    [InlineData("no-content-range")]
    [InlineData("other-range")]
    [InlineData("short-range-before-eof")]
    [InlineData("smaller-total")]
    [InlineData("larger-total")]
    [InlineData("whole-file-for-a-range")]
    [InlineData("empty")]
    public async Task A_body_that_is_not_exactly_the_asked_bytes_is_never_returned(string fault)
    {
        var response = Response.Create().WithStatusCode(206).WithHeader("Content-Type", ScriptedFolderHost.OctetStream);
        response = fault switch
        {
            "short" => response.WithHeader("Content-Range", "bytes 0-9/100").WithBody(_file[..5]),
            "long" => response.WithHeader("Content-Range", "bytes 0-9/100").WithBody(_file[..20]),
            "html" => Response.Create().WithStatusCode(206).WithHeader("Content-Type", "text/html").WithHeader("Content-Range", "bytes 0-9/100").WithBody(_file[..10]),
            "no-content-range" => response.WithBody(_file[..10]),
            "other-range" => response.WithHeader("Content-Range", "bytes 1-10/100").WithBody(_file[1..11]),
            "short-range-before-eof" => response.WithHeader("Content-Range", "bytes 0-4/100").WithBody(_file[..5]),
            "smaller-total" => response.WithHeader("Content-Range", "bytes 0-9/50").WithBody(_file[..10]),
            "larger-total" => response.WithHeader("Content-Range", "bytes 0-9/200").WithBody(_file[..10]),
            "whole-file-for-a-range" => Response.Create().WithStatusCode(200).WithHeader("Content-Type", ScriptedFolderHost.OctetStream).WithBody(_file),
            "empty" => Response.Create().WithStatusCode(206).WithHeader("Content-Type", ScriptedFolderHost.OctetStream).WithHeader("Content-Range", "bytes 0-9/100"),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(response);
        using var client = _host.Client(attempts: 2);

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.Protocol);
        _host.Requests.Should().HaveCount(2, "a malformed body is retried before it fails");
    }

    [Fact]
    public async Task A_smaller_total_is_named_as_a_size_contradiction()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(ScriptedFolderHost.Partial(_file, 0, 9).WithHeader("Content-Range", "bytes 0-9/50"));
        using var client = _host.Client(attempts: 1);

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask();

        (await act.Should().ThrowAsync<ToolError>()).Which.Chain()[^1]
            .Should().Be("the host's answer for bytes 0-9 gives the file 50 bytes, but it has 100");
    }

    [Theory]
    [InlineData(ScriptedFolderHost.OctetStream)]
    [InlineData("application/x-vmdk-disk")]
    [InlineData("text/plain; charset=utf-8")]
    public async Task A_200_with_the_whole_file_for_a_whole_file_request_is_accepted_whatever_its_type_but_html(string type)
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", type).WithBody(_file));
        using var client = _host.Client();
        var buffer = new byte[128];

        (await client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, buffer)).Should().Be(100);

        buffer[..100].Should().Equal(_file);
    }

    [Fact]
    public async Task A_short_200_for_a_whole_file_request_contradicts_the_size_and_is_retried()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).InScenario("short").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", ScriptedFolderHost.OctetStream).WithBody(_file[..60]));
        _host.Server.Given(ScriptedFolderHost.Get()).InScenario("short").WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", ScriptedFolderHost.OctetStream).WithBody(_file));
        using var client = _host.Client();
        var buffer = new byte[128];

        (await client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, buffer)).Should().Be(100);

        buffer[..100].Should().Equal(_file);
        _host.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_404_is_not_found_and_not_retried()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(Response.Create().WithStatusCode(404));
        using var client = _host.Client();

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask();

        (await act.Should().ThrowAsync<ToolError>()).Which.Kind.Should().Be(ErrorKind.NotFound);
        _host.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_hung_host_ends_in_a_timeout_error_not_a_hang()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(ScriptedFolderHost.Partial(_file, 0, 9).WithDelay(TimeSpan.FromSeconds(1)));
        using var client = _host.Client(attempts: 2, timeout: TimeSpan.FromMilliseconds(200));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask();

        var error = (await act.Should().ThrowAsync<ToolError>()).Which;
        error.Kind.Should().Be(ErrorKind.Timeout);
        error.Chain()[^1].Should().Be("http request timed out after 0.2 s");
        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "two attempts of 0.2 s each");
    }

    [Fact]
    public async Task A_connection_cut_in_the_middle_of_the_body_is_retried_then_a_transport_error()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(ScriptedFolderHost.Partial(_file, 0, 9).WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));
        using var client = _host.Client(attempts: 2);

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask();

        (await act.Should().ThrowAsync<ToolError>()).Which.Kind.Should().BeOneOf(ErrorKind.Transport, ErrorKind.Protocol);
        _host.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_a_cancellation_not_an_error()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).RespondWith(ScriptedFolderHost.Partial(_file, 0, 9).WithDelay(TimeSpan.FromSeconds(1)));
        using var client = _host.Client();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var act = () => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10], cts.Token).AsTask();

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Retries_keep_within_the_in_flight_limit()
    {
        _host.Server.Given(ScriptedFolderHost.Get()).InScenario("s").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(503).WithDelay(TimeSpan.FromMilliseconds(20)));
        _host.Server.Given(ScriptedFolderHost.Get()).InScenario("s").WhenStateIs("ok")
            .RespondWith(ScriptedFolderHost.Partial(_file, 0, 9).WithDelay(TimeSpan.FromMilliseconds(20)));
        using var client = new FolderClient(_host.Options(attempts: 5) with { MaxRequestsInFlight = 2 });

        var reads = Enumerable.Range(0, 12).Select(_ => client.ReadAsync(ScriptedFolderHost.Disk, Size, 0, new byte[10]).AsTask());
        var results = await Task.WhenAll(reads);

        results.Should().OnlyContain(r => r == 10);
        client.Statistics.PeakInFlight.Should().BeLessThanOrEqualTo(2);
        client.Statistics.PeakInFlight.Should().Be(2, "twelve readers fill both slots");
    }
}
