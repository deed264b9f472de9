using System.Text;

using EsxiImport.FieldReport.Redaction;

namespace EsxiImport.UnitTests.FieldReport;

public sealed class RedactorTests
{
    [Fact]
    public void The_same_name_gets_the_same_placeholder_and_kinds_count_apart()
    {
        var redactor = new Redactor();
        redactor.Placeholder(NameKind.Vm, "web01").Should().Be("vm-1");
        redactor.Placeholder(NameKind.Datastore, "datastore1").Should().Be("datastore-1");
        redactor.Placeholder(NameKind.Vm, "db 02").Should().Be("vm-2");
        redactor.Placeholder(NameKind.Vm, "web01").Should().Be("vm-1");
        redactor.Placeholder(NameKind.Datastore, "web01").Should().Be("vm-1", "a name keeps its first placeholder");
        redactor.Placeholder(NameKind.Host, " ").Should().Be(" ");
        redactor.Names.Should().HaveCount(3);
    }

    [Fact]
    public void Names_are_replaced_whole_and_in_their_url_and_xml_forms()
    {
        var redactor = new Redactor();
        redactor.Add(NameKind.Vm, "web");
        redactor.Add(NameKind.Vm, "web one");
        redactor.Add(NameKind.Vm, "R&D");
        redactor.Add(NameKind.Datastore, "datastore1");
        redactor.Apply("[datastore1] web/web.vmx webserver web_1.vmdk").Should().Be("[datastore-1] vm-1/vm-1.vmx webserver vm-1_1.vmdk");
        redactor.Apply("/folder/web%20one/web%20one.vmx?dsName=datastore1 web+one").Should().Be("/folder/vm-2/vm-2.vmx?dsName=datastore-1 vm-2");
        redactor.Apply("<name>R&amp;D</name> R%26D").Should().Be("<name>vm-3</name> vm-3");
        new Redactor().Apply("unchanged").Should().Be("unchanged");
    }

    [Fact]
    public void Bytes_in_any_encoding_keep_every_other_byte()
    {
        var redactor = new Redactor();
        redactor.Add(NameKind.Vm, "Größe");
        var latin1 = Encoding.Latin1.GetBytes("displayName = \"Größe\"\nx = \"\xe9\"\n");
        redactor.Apply(latin1).Should().Equal(Encoding.Latin1.GetBytes("displayName = \"vm-1\"\nx = \"\xe9\"\n"));
        var utf8 = Encoding.UTF8.GetBytes("displayName = \"Größe\"\n");
        Encoding.UTF8.GetString(redactor.Apply(utf8)).Should().Be("displayName = \"vm-1\"\n");
    }

    [Fact]
    public void Names_are_learnt_from_urls_and_soap_answers()
    {
        var redactor = new Redactor();
        NameHarvester.FromUrl(redactor, new Uri("https://esx01.example.com/folder/a.vmx?dcPath=dc%20one&dsName=fast+ssd&other=x"));
        NameHarvester.FromSoap(redactor, """
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25"><returnval>
            <objects><obj type="VirtualMachine">1</obj><propSet><name>name</name><val>web01</val></propSet>
              <propSet><name>config.files.vmPathName</name><val>[slow hdd] web01/web01.vmx</val></propSet>
              <propSet><name>config.datastoreUrl</name><val><VirtualMachineConfigInfoDatastoreUrlPair><name>nfs</name><url>/vmfs/volumes/x</url></VirtualMachineConfigInfoDatastoreUrlPair></val></propSet></objects>
            <objects><obj type="Datacenter">ha-datacenter</obj><propSet><name>name</name><val>ha-datacenter</val></propSet></objects>
            <objects><obj type="Folder">f</obj><propSet><name>name</name><val>vm</val></propSet><propSet><name>parent</name></propSet></objects>
            </returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>
            """);
        NameHarvester.FromSoap(redactor, "not xml");
        redactor.Names.Should().BeEquivalentTo(new Dictionary<string, string>
        {
            ["esx01.example.com"] = "host-1",
            ["dc one"] = "datacenter-1",
            ["fast ssd"] = "datastore-1",
            ["web01"] = "vm-1",
            ["slow hdd"] = "datastore-3",
            ["nfs"] = "datastore-2",
            ["ha-datacenter"] = "datacenter-2",
        });
    }
}
