using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;

namespace EsxiImport.UnitTests.Esxi;

public sealed class HostAddressTests
{
    [Theory]
    [InlineData("esxi.example.com", "esxi.example.com", null, false, "esxi.example.com")]
    [InlineData("esxi:8443", "esxi", 8443, false, "esxi:8443")]
    [InlineData("192.0.2.7", "192.0.2.7", null, false, "192.0.2.7")]
    [InlineData("192.0.2.7:443", "192.0.2.7", 443, false, "192.0.2.7:443")]
    [InlineData("[::1]:8443", "::1", 8443, true, "[::1]:8443")]
    [InlineData("[2001:db8::5]", "2001:db8::5", null, true, "[2001:db8::5]")]
    [InlineData("2001:db8::5", "2001:db8::5", null, true, "[2001:db8::5]")]
    [InlineData("::1", "::1", null, true, "[::1]")]
    public void Parses_every_form_the_plugin_passes(string text, string host, int? port, bool v6, string authority)
    {
        var address = HostAddress.Parse(text);

        address.Host.Should().Be(host);
        address.Port.Should().Be(port);
        address.IsIPv6.Should().Be(v6);
        address.Authority.Should().Be(authority);
        address.ToString().Should().Be(authority);
    }

    [Theory]
    [InlineData("esxi:0", "esxi.host.invalid-port")]
    [InlineData("esxi:65536", "esxi.host.invalid-port")]
    [InlineData("esxi:", "esxi.host.invalid-port")]
    [InlineData("esxi:+1", "esxi.host.invalid-port")]
    [InlineData("[::1]:x", "esxi.host.invalid-port")]
    [InlineData("[::1", "esxi.host.invalid")]
    [InlineData("[esxi]:443", "esxi.host.invalid")]
    [InlineData("[::1]443", "esxi.host.invalid")]
    [InlineData("a:b:c", "esxi.host.invalid")]
    [InlineData("host/path", "esxi.host.invalid")]
    [InlineData("user@host", "esxi.host.invalid")]
    [InlineData("two words", "esxi.host.invalid")]
    [InlineData("", "esxi.host.empty")]
    public void Refuses_malformed_addresses_with_a_catalogue_message(string text, string id)
    {
        var act = () => HostAddress.Parse(text);

        var error = act.Should().Throw<ToolError>().Which;
        error.MessageId.Should().Be(id);
        error.Kind.Should().Be(ErrorKind.InvalidInput);
    }

    [Fact]
    public void The_message_names_the_address()
    {
        var act = () => HostAddress.Parse("esxi:99999");

        act.Should().Throw<ToolError>().WithMessage("invalid port in ESXi host address 'esxi:99999': expected a number from 1 to 65535");
    }
}
