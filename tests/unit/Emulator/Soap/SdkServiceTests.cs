using System.Xml.Linq;

using EsxiImport.Diagnostics;

namespace EsxiImport.UnitTests.Emulator.Soap;

public sealed class SdkServiceTests
{
    private static readonly XNamespace Vim = SdkHarness.Vim;

    private const string RetrieveConfig = """<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><specSet><propSet><type>VirtualMachine</type><all>false</all><pathSet>config</pathSet></propSet><objectSet><obj type="VirtualMachine">1</obj><skip>false</skip></objectSet></specSet><options><maxObjects>1</maxObjects></options></RetrievePropertiesEx>""";

    [Fact]
    public async Task RetrieveServiceContent_works_without_a_session_and_lists_the_managers()
    {
        var h = new SdkHarness();
        var reply = await h.CallAsync("""<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent>""");
        reply.Status.Should().Be(200);
        var rv = reply.Body.Element(Vim + "returnval")!;
        reply.Body.Name.Should().Be(Vim + "RetrieveServiceContentResponse");
        rv.Element(Vim + "rootFolder")!.Value.Should().Be("ha-folder-root");
        rv.Element(Vim + "rootFolder")!.Attribute("type")!.Value.Should().Be("Folder");
        rv.Element(Vim + "about")!.Element(Vim + "apiType")!.Value.Should().Be("HostAgent");
        rv.Elements().Select(e => e.Name.LocalName).Take(4).Should().Equal("rootFolder", "propertyCollector", "viewManager", "about");
    }

    [Fact]
    public async Task Login_with_a_wrong_password_is_the_exact_InvalidLogin_fault()
    {
        var h = new SdkHarness();
        var reply = await h.CallAsync("""<Login xmlns="urn:vim25"><_this type="SessionManager">ha-sessionmgr</_this><userName>root</userName><password>nope</password></Login>""");
        reply.Status.Should().Be(500);
        reply.FaultType.Should().Be("InvalidLogin");
        reply.FaultString.Should().Be("Cannot complete login due to an incorrect user name or password.");
        reply.Body.Element("faultcode")!.Value.Should().Be("ServerFaultCode");
        reply.SetCookie.Should().BeEmpty();
    }

    [Fact]
    public async Task Login_sets_one_session_cookie_and_returns_a_UserSession()
    {
        var h = new SdkHarness();
        var reply = await h.CallAsync("""<Login xmlns="urn:vim25"><_this versionId="8.0.3.0" type="SessionManager">ha-sessionmgr</_this><userName versionId="8.0.3.0">root</userName><password versionId="8.0.3.0">password</password></Login>""");
        reply.Status.Should().Be(200, reply.Text);
        reply.SetCookie.Should().MatchRegex("^vmware_soap_session=\"[0-9a-f-]{36}\"; Path=/; HttpOnly; Secure;$");
        reply.Body.Element(Vim + "returnval")!.Element(Vim + "userName")!.Value.Should().Be("root");
        h.Sessions.Count.Should().Be(1);
    }

    [Fact]
    public async Task Property_reads_without_a_session_are_NotAuthenticated_naming_the_object()
    {
        var h = new SdkHarness();
        var reply = await h.CallAsync(RetrieveConfig);
        reply.Status.Should().Be(500);
        reply.FaultType.Should().Be("NotAuthenticated");
        reply.FaultString.Should().Be("The session is not authenticated.");
        var detail = reply.Body.Element("detail")!.Elements().Single();
        detail.Element(Vim + "object")!.Attribute("type")!.Value.Should().Be("PropertyCollector");
        detail.Element(Vim + "privilegeId")!.Value.Should().Be("System.View");
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        (await h.CallAsync("""<Logout xmlns="urn:vim25"><_this type="SessionManager">ha-sessionmgr</_this></Logout>""")).Status.Should().Be(200);
        (await h.CallAsync(RetrieveConfig)).FaultType.Should().Be("NotAuthenticated");
    }

    [Theory]
    [InlineData("<not xml")]
    [InlineData("")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><x>&e;</x>")]
    [InlineData("<Envelope xmlns=\"http://schemas.xmlsoap.org/soap/envelope/\"><Body><Foo xmlns=\"urn:other\"/></Body></Envelope>")]
    [InlineData("<a/>")]
    public async Task Malformed_requests_get_an_InvalidRequest_fault(string body)
    {
        var h = new SdkHarness();
        var reply = await h.RawAsync(body);
        reply.Status.Should().Be(500);
        reply.FaultType.Should().Be("InvalidRequest");
    }

    [Fact]
    public async Task A_document_nested_deeper_than_the_limit_is_refused_before_it_is_parsed()
    {
        // 100,000 levels took 18 s to build as a tree; refused at the limit, it costs one pass.
        var levels = 100_000;
        var deep = string.Concat(Enumerable.Repeat("<x>", levels)) + string.Concat(Enumerable.Repeat("</x>", levels));
        var reply = await new SdkHarness().CallAsync($"""<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this>{deep}</RetrieveServiceContent>""");
        reply.Status.Should().Be(500);
        reply.FaultType.Should().Be("InvalidRequest");
        reply.FaultString.Should().EndWith("the request nests elements more than 100 levels deep");
    }

    [Fact]
    public async Task Nesting_just_below_the_limit_is_served()
    {
        // Envelope and Body are levels 0 and 1, the method 2, _this 3: 96 more levels inside it reach 99.
        var levels = 95;
        var deep = string.Concat(Enumerable.Repeat("<x>", levels)) + string.Concat(Enumerable.Repeat("</x>", levels));
        var reply = await new SdkHarness().CallAsync($"""<RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this><y>{deep}</y></RetrieveServiceContent>""");
        reply.Status.Should().Be(200, reply.Text);
    }

    [Fact]
    public async Task A_method_without_this_is_an_InvalidRequest()
    {
        var reply = await new SdkHarness().CallAsync("""<RetrieveServiceContent xmlns="urn:vim25"/>""");
        reply.FaultType.Should().Be("InvalidRequest");
        reply.FaultString.Should().Contain(Messages.Text("emulator.soap.missing-this"));
    }

    [Fact]
    public async Task Govmomi_style_unprefixed_envelope_with_a_header_parses()
    {
        var h = new SdkHarness();
        var reply = await h.RawAsync("""<?xml version="1.0" encoding="UTF-8"?><Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Header><operationID>abc</operationID></Header><Body><RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent></Body></Envelope>""");
        reply.Status.Should().Be(200);
    }

    [Fact]
    public async Task Unknown_methods_and_objects_get_their_faults()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var unknownMethod = await h.CallAsync("""<PowerOnVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">1</_this></PowerOnVM_Task>""");
        unknownMethod.FaultType.Should().Be("MethodNotFound");
        var missing = await h.CallAsync(RetrieveConfig.Replace(">1</obj>", ">99</obj>", StringComparison.Ordinal));
        missing.FaultType.Should().Be("ManagedObjectNotFound");
        missing.FaultString.Should().Be("The object 'vim.VirtualMachine:99' has already been deleted or has not been completely created");
    }

    [Fact]
    public async Task SOAPAction_version_drives_which_fields_are_sent()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        static string[] Fields(SdkHarness.Reply r) => r.Body.Descendants(Vim + "val").Single().Elements().Select(e => e.Name.LocalName).ToArray();

        h.SoapAction = "\"urn:vim25/8.0.3.0\"";
        Fields(await h.CallAsync(RetrieveConfig)).Should().Contain(["createDate", "vmxConfigChecksum", "vmOpNotificationToAppEnabled"]);
        h.SoapAction = "\"urn:vim25/6.7.1\"";
        var v671 = Fields(await h.CallAsync(RetrieveConfig));
        v671.Should().Contain(["createDate", "vmxConfigChecksum"]).And.NotContain("vmOpNotificationToAppEnabled");
        h.SoapAction = "urn:vim25/6.5";
        Fields(await h.CallAsync(RetrieveConfig)).Should().NotContain("createDate").And.Contain("vmxConfigChecksum");
        h.SoapAction = "\"urn:vim25/5.5\"";
        Fields(await h.CallAsync(RetrieveConfig)).Should().NotContain("vmxConfigChecksum");
    }

    [Fact]
    public async Task Config_is_written_in_WSDL_order_with_typed_devices()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var val = (await h.CallAsync(RetrieveConfig)).Body.Descendants(Vim + "val").Single();
        val.Attribute(SdkHarness.Xsi + "type")!.Value.Should().Be("VirtualMachineConfigInfo");
        var order = val.Elements().Select(e => e.Name.LocalName).Distinct().ToList();
        order.Should().ContainInOrder("name", "uuid", "files", "hardware", "extraConfig", "datastoreUrl", "firmware", "vmxConfigChecksum");
        var disk = val.Descendants(Vim + "device").Single(d => d.Attribute(SdkHarness.Xsi + "type")?.Value == "VirtualDisk");
        disk.Element(Vim + "backing")!.Element(Vim + "fileName")!.Value.Should().Be("[datastore1] vm one/vm one.vmdk");
        disk.Element(Vim + "backing")!.Element(Vim + "datastore")!.Attribute("type")!.Value.Should().Be("Datastore");
        disk.Element(Vim + "capacityInBytes")!.Value.Should().Be((16L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture));
        disk.Element(Vim + "capacityInKB")!.Value.Should().Be((16L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture));
        val.Element(Vim + "vmxConfigChecksum")!.Value.Should().Be("AAEC");
        var option = val.Element(Vim + "extraConfig")!;
        option.Element(Vim + "value")!.Attribute(SdkHarness.Xsi + "type")!.Value.Should().Be("xsd:string");
        option.Element(Vim + "key")!.Attribute(SdkHarness.Xsi + "type").Should().BeNull();
    }

    [Fact]
    public async Task Dotted_paths_unset_config_and_bad_paths()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var reply = await h.CallAsync("""
            <RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><specSet>
            <propSet><type>VirtualMachine</type><pathSet>config.files.vmPathName</pathSet><pathSet>runtime.powerState</pathSet><pathSet>bogus</pathSet></propSet>
            <objectSet><obj type="VirtualMachine">1</obj></objectSet><objectSet><obj type="VirtualMachine">3</obj></objectSet></specSet><options/></RetrievePropertiesEx>
            """);
        reply.Status.Should().Be(200, reply.Text);
        var objects = reply.Body.Element(Vim + "returnval")!.Elements(Vim + "objects").ToList();
        objects.Should().HaveCount(2);
        var first = objects[0].Elements(Vim + "propSet").ToDictionary(p => p.Element(Vim + "name")!.Value, p => p.Element(Vim + "val")!);
        first["config.files.vmPathName"].Value.Should().Be("[datastore1] vm one/vm one.vmx");
        first["config.files.vmPathName"].Attribute(SdkHarness.Xsi + "type")!.Value.Should().Be("xsd:string");
        first["runtime.powerState"].Attribute(SdkHarness.Xsi + "type")!.Value.Should().Be("VirtualMachinePowerState");
        objects[0].Element(Vim + "missingSet")!.Element(Vim + "path")!.Value.Should().Be("bogus");
        objects[0].Element(Vim + "missingSet")!.Descendants().First(e => e.Name.LocalName == "fault" && e.Attribute(SdkHarness.Xsi + "type") is not null)
            .Attribute(SdkHarness.Xsi + "type")!.Value.Should().Be("InvalidProperty");
        objects[1].Elements(Vim + "propSet").Select(p => p.Element(Vim + "name")!.Value).Should().Equal("runtime.powerState");
    }

    [Fact]
    public async Task ContainerView_traversal_with_named_recursion_reaches_the_parent_chain_and_pages()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var view = (await h.CallAsync("""<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this><container type="Folder">ha-folder-root</container><type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>"""))
            .Body.Element(Vim + "returnval")!;
        view.Attribute("type")!.Value.Should().Be("ContainerView");
        var request = $"""
            <RetrievePropertiesEx xmlns="urn:vim25" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><_this type="PropertyCollector">ha-property-collector</_this><specSet>
            <propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><propSet><type>ManagedEntity</type><pathSet>name</pathSet></propSet>
            <objectSet><obj type="ContainerView">{view.Value}</obj><skip>true</skip>
             <selectSet xsi:type="TraversalSpec"><name>v</name><type>ContainerView</type><path>view</path><skip>false</skip>
              <selectSet xsi:type="TraversalSpec"><type>VirtualMachine</type><path>parent</path><skip>false</skip>
               <selectSet xsi:type="TraversalSpec"><name>up</name><type>Folder</type><path>parent</path><skip>false</skip><selectSet><name>up</name></selectSet></selectSet>
              </selectSet></selectSet></objectSet></specSet><options><maxObjects>2</maxObjects></options></RetrievePropertiesEx>
            """;
        var names = new List<string>();
        var page = (await h.CallAsync(request)).Body.Element(Vim + "returnval")!;
        var pages = 1;
        while (true)
        {
            names.AddRange(page.Elements(Vim + "objects").Select(o => o.Element(Vim + "obj")!.Attribute("type")!.Value + ":" + o.Element(Vim + "obj")!.Value));
            if (page.Element(Vim + "token")?.Value is not { } token)
            {
                break;
            }

            var next = await h.CallAsync($"""<ContinueRetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><token>{token}</token></ContinueRetrievePropertiesEx>""");
            var again = await h.CallAsync($"""<ContinueRetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><token>{token}</token></ContinueRetrievePropertiesEx>""");
            again.FaultType.Should().Be("InvalidProperty", "tokens are single-use");
            page = next.Body.Element(Vim + "returnval")!;
            pages++;
        }

        names.Should().Equal("VirtualMachine:1", "Folder:ha-folder-vm", "Datacenter:ha-datacenter", "VirtualMachine:2", "VirtualMachine:3");
        pages.Should().Be(3);
        h.Sdk.PendingResultCount.Should().Be(0);
        (await h.CallAsync($"""<DestroyView xmlns="urn:vim25"><_this type="ContainerView">{view.Value}</_this></DestroyView>""")).Status.Should().Be(200);
        h.Sdk.ViewCount.Should().Be(0);
    }

    [Fact]
    public async Task Tokens_and_views_belong_to_their_session()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var view = (await h.CallAsync("""<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this><container type="Folder">ha-folder-root</container><type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>"""))
            .Body.Element(Vim + "returnval")!.Value;
        var page = await h.CallAsync("""<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="VirtualMachine">1</obj></objectSet><objectSet><obj type="VirtualMachine">2</obj></objectSet></specSet><options><maxObjects>1</maxObjects></options></RetrievePropertiesEx>""");
        var token = page.Body.Descendants(Vim + "token").Single().Value;
        await h.LoginAsync();
        (await h.CallAsync($"""<ContinueRetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><token>{token}</token></ContinueRetrievePropertiesEx>""")).FaultType.Should().Be("InvalidProperty");
        (await h.CallAsync($"""<DestroyView xmlns="urn:vim25"><_this type="ContainerView">{view}</_this></DestroyView>""")).FaultType.Should().Be("ManagedObjectNotFound");
    }

    [Fact]
    public async Task CreateContainerView_on_a_VM_is_InvalidArgument()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var reply = await h.CallAsync("""<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this><container type="VirtualMachine">1</container><type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>""");
        reply.FaultType.Should().Be("InvalidArgument");
        reply.FaultString.Should().Be("A specified parameter was not correct: container");
    }

    [Fact]
    public async Task An_unknown_SelectionSpec_name_is_InvalidArgument()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var reply = await h.CallAsync("""<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><specSet><propSet><type>Folder</type><pathSet>name</pathSet></propSet><objectSet><obj type="Folder">ha-folder-root</obj><selectSet><name>nowhere</name></selectSet></objectSet></specSet><options/></RetrievePropertiesEx>""");
        reply.FaultType.Should().Be("InvalidArgument");
    }

    [Fact]
    public async Task Old_RetrieveProperties_and_all_true_return_every_set_property()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var reply = await h.CallAsync("""<RetrieveProperties xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><specSet><propSet><type>Datacenter</type><all>true</all></propSet><objectSet><obj type="Datacenter">ha-datacenter</obj></objectSet></specSet></RetrieveProperties>""");
        var names = reply.Body.Elements(Vim + "returnval").Single().Elements(Vim + "propSet").Select(p => p.Element(Vim + "name")!.Value);
        names.Should().Equal("name", "parent", "vmFolder", "hostFolder", "datastoreFolder", "networkFolder", "datastore", "network");
    }

    [Fact]
    public async Task Fetch_returns_the_value_or_nothing_when_unset()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var name = await h.CallAsync("""<Fetch xmlns="urn:vim25"><_this versionId="8.0.3.0" type="VirtualMachine">1</_this><prop versionId="8.0.3.0">name</prop></Fetch>""");
        name.Body.Name.Should().Be(Vim + "FetchResponse");
        name.Body.Element(Vim + "returnval")!.Value.Should().Be("vm one");
        var parent = await h.CallAsync("""<Fetch xmlns="urn:vim25"><_this type="VirtualMachine">1</_this><prop>parent</prop></Fetch>""");
        parent.Body.Element(Vim + "returnval")!.Attribute(SdkHarness.Xsi + "type")!.Value.Should().Be("ManagedObjectReference");
        var unset = await h.CallAsync("""<Fetch xmlns="urn:vim25"><_this type="VirtualMachine">3</_this><prop>config</prop></Fetch>""");
        unset.Status.Should().Be(200);
        unset.Body.HasElements.Should().BeFalse();
        var content = await h.CallAsync("""<Fetch xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this><prop>content</prop></Fetch>""");
        content.Body.Element(Vim + "returnval")!.Attribute(SdkHarness.Xsi + "type")!.Value.Should().Be("ServiceContent");
        (await h.CallAsync("""<Fetch xmlns="urn:vim25"><_this type="VirtualMachine">1</_this><prop>nonsense</prop></Fetch>""")).FaultType.Should().Be("InvalidProperty");
    }

    [Fact]
    public async Task View_property_is_a_wrapped_array_of_references()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var view = (await h.CallAsync("""<CreateContainerView xmlns="urn:vim25"><_this type="ViewManager">ViewManager</_this><container type="Folder">ha-folder-root</container><type>VirtualMachine</type><recursive>true</recursive></CreateContainerView>"""))
            .Body.Element(Vim + "returnval")!.Value;
        var reply = await h.CallAsync($"""<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this><specSet><propSet><type>ContainerView</type><pathSet>view</pathSet></propSet><objectSet><obj type="ContainerView">{view}</obj></objectSet></specSet><options><maxObjects>1</maxObjects></options></RetrievePropertiesEx>""");
        var val = reply.Body.Descendants(Vim + "val").Single();
        val.Attribute(SdkHarness.Xsi + "type")!.Value.Should().Be("ArrayOfManagedObjectReference");
        val.Elements(Vim + "ManagedObjectReference").Select(e => e.Value).Should().Equal("1", "2", "3");
    }

    [Fact]
    public async Task The_versions_document_lists_6_7_1_for_Debian_pyvmomi()
    {
        var h = new SdkHarness();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        await h.Sdk.VersionsAsync(context);
        var doc = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body.ToArray()));
        doc.Root!.Attribute("version")!.Value.Should().Be("1.0");
        doc.Root.Descendants("version").Select(v => v.Value).Should().StartWith(["8.0.3.0"]).And.Contain(["6.7.1", "6.7", "6.5"]);
    }
}
