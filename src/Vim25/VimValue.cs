using System.Xml.Linq;

namespace EsxiImport.Vim25;

// vim25 values as a small tree that knows nothing about XML. The emulated host's writer turns it
// into vim25 XML for one negotiated API version; keeping values and wire form apart lets the same
// inventory be filtered for pyvmomi 6.7.1 and served in full to 8.x clients.

/// <summary>Any value of a managed-object property or data-object field.</summary>
public abstract record VimValue;

/// <summary>An XML Schema primitive: <see cref="XsdType"/> is <c>string</c>, <c>int</c>, <c>long</c>, <c>boolean</c>, <c>dateTime</c>, <c>base64Binary</c>…</summary>
public sealed record VimPrimitive(string XsdType, string Text) : VimValue
{
    public static VimPrimitive String(string text) => new("string", text);

    public static VimPrimitive Int(long value) => new("int", value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static VimPrimitive Long(long value) => new("long", value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static VimPrimitive Bool(bool value) => new("boolean", value ? "true" : "false");

    public static VimPrimitive DateTime(string iso) => new("dateTime", iso);

    public static VimPrimitive Base64(byte[] bytes) => new("base64Binary", Convert.ToBase64String(bytes));
}

/// <summary>A value of a vim25 enumeration, e.g. <c>VirtualMachinePowerState</c> <c>poweredOn</c>.</summary>
public sealed record VimEnum(string EnumType, string Text) : VimValue;

/// <summary>A ManagedObjectReference: <c>&lt;x type="VirtualMachine"&gt;1&lt;/x&gt;</c>.</summary>
public sealed record ManagedObjectReference(string Type, string Value) : VimValue
{
    public XElement ToElement(XName name) => new(name, new XAttribute("type", Type), Value);

    /// <summary>Reads a reference; null when the element is absent or has no <c>type</c> (it is mandatory).</summary>
    public static ManagedObjectReference? From(XElement? element) =>
        element?.Attribute("type")?.Value is { Length: > 0 } type ? new ManagedObjectReference(type, element.Value.Trim()) : null;

    public override string ToString() => Type + ":" + Value;
}

/// <summary>One field of a data object, in WSDL order within its owner; <see cref="AnyType"/> fields (OptionValue.value) carry <c>xsi:type</c>.</summary>
public sealed record VimField(string Name, VimValue Value, bool AnyType = false);

/// <summary>
/// A data object (<c>VirtualMachineConfigInfo</c>, <c>VirtualDisk</c>…). Fields are in WSDL order;
/// unset optional fields are simply absent. <see cref="Polymorphic"/> marks values that stand
/// where a base type is declared (a device, a backing) and so always carry <c>xsi:type</c>.
/// </summary>
public sealed record VimData(string Type, IReadOnlyList<VimField> Fields, bool Polymorphic = false) : VimValue
{
    public VimValue? Field(string name)
    {
        foreach (var f in Fields)
        {
            if (f.Name == name)
            {
                return f.Value;
            }
        }

        return null;
    }
}

/// <summary>
/// An array. As a field it is written as repeated elements; as an anyType value (a property's
/// <c>val</c>) it is wrapped as <c>ArrayOf&lt;ItemType&gt;</c>.
/// </summary>
public sealed record VimArray(string ItemType, IReadOnlyList<VimValue> Items) : VimValue
{
    /// <summary>The wrapper type name, e.g. <c>ArrayOfString</c>, <c>ArrayOfVirtualDevice</c>.</summary>
    public string WrapperType => "ArrayOf" + char.ToUpperInvariant(ItemType[0]) + ItemType[1..];
}
