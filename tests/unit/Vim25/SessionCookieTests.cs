using EsxiImport.Vim25;

namespace EsxiImport.UnitTests.Vim25;

/// <summary>The cookie's three shapes agree: what a host sets, a client keeps and presents, the host reads back.</summary>
public sealed class SessionCookieTests
{
    [Fact]
    public void A_set_cookie_becomes_the_pair_a_client_sends_and_the_id_a_host_reads()
    {
        var setCookie = SessionCookie.SetCookieValue("52a1");
        setCookie.Should().Be("vmware_soap_session=\"52a1\"; Path=/; HttpOnly; Secure;");
        var pair = SessionCookie.PairOf(setCookie);
        pair.Should().Be("vmware_soap_session=\"52a1\"");
        SessionCookie.IdFrom([pair]).Should().Be("52a1");
        SessionCookie.IdFrom(["other=1; " + setCookie]).Should().Be("52a1", "clients echo the attributes too");
    }

    [Fact]
    public void Other_cookies_are_not_the_session()
    {
        SessionCookie.PairOf("vmware_soap_sessionX=1").Should().BeNull();
        SessionCookie.PairOf("  vmware_soap_session=abc  ").Should().Be("vmware_soap_session=abc");
        SessionCookie.IdFrom(["a=b", null]).Should().BeNull();
    }

    [Fact]
    public void The_first_session_cookie_of_a_response_wins()
    {
        using var response = new HttpResponseMessage();
        response.Headers.Add("Set-Cookie", ["theme=dark", "vmware_soap_session=\"1\"; Path=/", "vmware_soap_session=\"2\""]);
        SessionCookie.From(response).Should().Be("vmware_soap_session=\"1\"");
        using var none = new HttpResponseMessage();
        SessionCookie.From(none).Should().BeNull();
    }
}
