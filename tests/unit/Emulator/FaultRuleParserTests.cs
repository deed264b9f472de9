using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Faults;

namespace EsxiImport.UnitTests.Emulator;

public sealed class FaultRuleParserTests
{
    [Fact]
    public void The_one_line_form_parses_every_part()
    {
        var rule = FaultRuleParser.ParseLine("folder:GET:*-flat.vmdk:skip:2:3:status:503:a: body");
        rule.Endpoint.Should().Be(FaultEndpoint.Folder);
        rule.Spec.Method.Should().Be("GET");
        rule.Trigger.Should().Be(new FaultTrigger.SkipThen(2, 3));
        rule.Action.Should().Be(new FaultAction.Status(503));
        rule.Spec.Body.Should().Be("a: body");
        rule.Matches(FaultEndpoint.Folder, "GET", "vm one/vm one-flat.vmdk").Should().BeTrue();
        rule.Matches(FaultEndpoint.Folder, "HEAD", "vm one/vm one-flat.vmdk").Should().BeFalse();
        rule.Matches(FaultEndpoint.Folder, "GET", "vm one/vm one.vmdk").Should().BeFalse();
    }

    [Theory]
    [InlineData("folder:*:*:always:content-type:text/plain; charset=x", typeof(FaultAction.ContentType))]
    [InlineData("sdk:POST:Login:first:1:soap-fault:InvalidLogin", typeof(FaultAction.SoapFault))]
    [InlineData("folder:GET:*:after-bytes:100:reset-mid-body", typeof(FaultAction.ResetMidBody))]
    [InlineData("folder:GET:*:in-flight-above:4:status:503", typeof(FaultAction.Status))]
    [InlineData("folder:GET:*:probability:0.25:7:trickle:1000", typeof(FaultAction.Trickle))]
    [InlineData("folder:GET:*:always:expire-session", typeof(FaultAction.ExpireSession))]
    [InlineData("folder:GET:*:always:size:4096", typeof(FaultAction.Size))]
    [InlineData("folder:GET:*:always:ignore-range", typeof(FaultAction.IgnoreRange))]
    public void Each_action_kind_parses(string line, Type action) =>
        FaultRuleParser.ParseLine(line).Action.Should().BeOfType(action);

    [Theory]
    [InlineData("folder:GET", "fault rule 'folder:GET': expected ENDPOINT:METHOD:GLOB:TRIGGER[:ARGS]:ACTION[:ARGS]")]
    [InlineData("nfc:GET:*:always:html", "fault rule 'nfc:GET:*:always:html': unknown endpoint 'nfc' (folder or sdk)")]
    [InlineData("folder:GET:*:first:x:html", "fault rule 'folder:GET:*:first:x:html': bad arguments in 'first:x'")]
    [InlineData("folder:GET:*:always:status:99", "fault rule 'folder:GET:*:always:status:99': bad arguments in 'status:99'")]
    [InlineData("folder:GET:*:after-bytes:10:status:500", "fault rule 'folder:GET:*:after-bytes:10:status:500': trigger after-bytes needs a body action (delay, reset-mid-body, truncate, trickle), not 'status:500'")]
    [InlineData("folder:GET:*:always:soap-fault:X", "fault rule 'folder:GET:*:always:soap-fault:X': action soap-fault applies only to endpoint sdk")]
    [InlineData("folder:FETCH:*:always:html", "fault rule 'folder:FETCH:*:always:html': unknown HTTP method 'FETCH'")]
    public void Bad_rules_are_one_line_errors(string line, string message)
    {
        var act = () => FaultRuleParser.ParseLine(line);
        act.Should().Throw<ToolError>().Which.Message.Should().Be(message);
    }
}
