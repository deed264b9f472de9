using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Soap;

namespace EsxiImport.UnitTests.Emulator.Soap;

/// <summary>The method table is the whole SOAP surface: what it lists is served, and nothing else.</summary>
public sealed class SoapMethodsTests
{
    private static readonly string[] Served =
    [
        "RetrieveServiceContent", "Login", "Logout", "SessionIsActive", "CreateContainerView", "DestroyView",
        "RetrieveProperties", "RetrievePropertiesEx", "ContinueRetrievePropertiesEx", "CancelRetrievePropertiesEx", "Fetch",
    ];

    [Fact]
    public void The_table_lists_each_served_method_once()
    {
        SoapMethods.All.Select(m => m.Name).Should().BeEquivalentTo(Served).And.OnlyHaveUniqueItems();
        SoapMethods.Find("PowerOnVM_Task").Should().BeNull();
    }

    [Fact]
    public void Every_typed_method_belongs_to_an_object_the_inventory_has()
    {
        var inventory = new SdkHarness().Sdk.Inventory;
        foreach (var method in SoapMethods.All.Where(m => m.ObjectType is not null))
        {
            inventory.Objects.Should().Contain(o => o.Ref.Type == method.ObjectType, "{0} is called on a {1}", method.Name, method.ObjectType);
        }
    }

    [Fact]
    public void Only_the_login_path_is_anonymous()
    {
        var anonymous = SoapMethods.All.Where(m => m.Anonymous?.Invoke(HostInventory.ServiceInstance) == true).Select(m => m.Name);
        anonymous.Should().BeEquivalentTo("RetrieveServiceContent", "Login", "Fetch");
        SoapMethods.Find("Fetch")!.Anonymous!.Invoke(HostInventory.RootFolder).Should().BeFalse("Fetch on anything but the ServiceInstance needs a session");
    }

    [Fact]
    public async Task A_method_on_an_object_of_another_type_is_MethodNotFound()
    {
        var h = new SdkHarness();
        await h.LoginAsync();
        var reply = await h.CallAsync("""<Logout xmlns="urn:vim25"><_this type="PropertyCollector">ha-property-collector</_this></Logout>""");
        reply.FaultType.Should().Be("MethodNotFound");
    }
}
