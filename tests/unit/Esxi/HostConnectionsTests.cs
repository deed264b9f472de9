using System.Net;

using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Esxi;

/// <summary>
/// When a failed connection means "the host limits connections", and the one move that follows:
/// a lane of one HTTP/2 connection, the old lane closed once its last request ends.
/// </summary>
public sealed class HostConnectionsTests
{
    private static readonly HttpRequestException Refused = new(HttpRequestError.ConnectionError, "Connection refused");
    private static readonly HttpRequestException ClosedInTls = new(HttpRequestError.SecureConnectionError, "unexpected EOF");

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, false, 16, 1.0, true)]
    [InlineData(HttpRequestError.SecureConnectionError, false, 4, 4.9, true)]
    [InlineData(HttpRequestError.SecureConnectionError, true, 16, 1.0, false)] // a refused certificate is not a limit
    [InlineData(HttpRequestError.ConnectionError, false, 1, 1.0, false)] // one connection allowed: nothing to cut
    [InlineData(HttpRequestError.ConnectionError, false, 16, 6.0, false)] // no recent answer: the host may be down
    [InlineData(HttpRequestError.ConnectionError, false, 16, -1.0, false)] // never answered
    [InlineData(HttpRequestError.ResponseEnded, false, 16, 1.0, false)] // the request was sent: not a connect failure
    [InlineData(HttpRequestError.NameResolutionError, false, 16, 1.0, false)]
    public void A_failed_connect_means_a_limit_only_while_the_host_answers_others(HttpRequestError error, bool certificate, int connections, double secondsSinceAnswer, bool limited) =>
        HostConnections.MeansLimited(error, certificate, connections, secondsSinceAnswer < 0 ? null : TimeSpan.FromSeconds(secondsSinceAnswer)).Should().Be(limited);

    [Fact]
    public void The_first_refused_connect_after_an_answer_moves_requests_to_one_HTTP2_connection_once()
    {
        var built = new List<(Version Version, int Connections)>();
        var switches = new List<Version>();
        var oldHandler = new DisposeSpy();
        using var connections = new HostConnections(
            new HostConnections.Lane(new HttpClient(oldHandler), HttpVersion.Version11, 16),
            (v, n) =>
            {
                built.Add((v, n));
                return new DisposeSpy();
            },
            switches.Add);

        var first = connections.Enter();
        var second = connections.Enter();
        connections.ConnectFailed(first, Refused, certificateRefused: false).Should().BeFalse("nothing answered yet: the host may be down");
        connections.Answered();
        connections.ConnectFailed(first, ClosedInTls, certificateRefused: true).Should().BeFalse();
        connections.Limited.Should().BeFalse();

        connections.ConnectFailed(first, Refused, certificateRefused: false).Should().BeTrue();
        connections.Limited.Should().BeTrue();
        built.Should().Equal((HttpVersion.Version20, 1));
        switches.Should().Equal(HttpVersion.Version20);
        connections.Current.Version.Should().Be(HttpVersion.Version20);
        connections.Current.MaxConnections.Should().Be(1);

        // Another request of the old lane fails the same way: retried, no second move.
        connections.ConnectFailed(second, ClosedInTls, certificateRefused: false).Should().BeTrue();
        built.Should().HaveCount(1);

        connections.Leave(first);
        oldHandler.Disposed.Should().BeFalse("a request still runs on the old lane");
        connections.Leave(second);
        oldHandler.Disposed.Should().BeTrue("the old connections are closed when their last request ends, freeing the host's slots");

        var next = connections.Enter();
        next.Should().BeSameAs(connections.Current);
        connections.ConnectFailed(next, Refused, certificateRefused: false).Should().BeTrue("a connect refused while old connections close is retried");
        connections.Leave(next);
    }

    [Fact]
    public void A_client_that_asked_for_HTTP2_or_a_scripted_transport_never_moves()
    {
        using var h2 = new HostConnections(new HostConnections.Lane(new HttpClient(new DisposeSpy()), HttpVersion.Version20, 16), (_, _) => new DisposeSpy(), _ => { });
        h2.Answered();
        var lane = h2.Enter();
        h2.ConnectFailed(lane, Refused, certificateRefused: false).Should().BeFalse();
        h2.Current.Should().BeSameAs(lane);

        using var scripted = new HostConnections(new HostConnections.Lane(new HttpClient(new DisposeSpy()), HttpVersion.Version11, 16), null, _ => { });
        scripted.Answered();
        scripted.ConnectFailed(scripted.Enter(), Refused, certificateRefused: false).Should().BeFalse();
    }

    private sealed class DisposeSpy : HttpMessageHandler
    {
        public bool Disposed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
