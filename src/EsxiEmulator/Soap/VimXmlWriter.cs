using System.Xml;

using EsxiImport.Emulator.Inventory;
using EsxiImport.Vim25;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// Writes <see cref="VimValue"/> trees as vim25 XML for one negotiated API version: fields and
/// types newer than that version are left out (<see cref="VersionFilter"/>), arrays are repeated
/// elements as fields and <c>ArrayOfX</c> wrappers as anyType values, and <c>xsi:type</c> is written
/// where the schema declares a base type or anyType. The caller has declared the <c>xsi</c> and
/// <c>xsd</c> prefixes and the default namespace <c>urn:vim25</c>.
/// </summary>
internal sealed class VimXmlWriter(XmlWriter writer, ApiVersion version)
{
    public XmlWriter Xml => writer;

    public ApiVersion Version => version;

    /// <summary>Writes a value in a typed slot (a field, or a <c>returnval</c> of a declared type).</summary>
    public void WriteField(string ownerType, VimField field)
    {
        if (!VersionFilter.AllowsField(ownerType, field.Name, version))
        {
            return;
        }

        if (field.Value is VimArray array)
        {
            foreach (var item in array.Items)
            {
                WriteTyped(field.Name, item, anyType: field.AnyType);
            }

            return;
        }

        WriteTyped(field.Name, field.Value, anyType: field.AnyType);
    }

    /// <summary>Writes a value in an anyType slot (DynamicProperty.val, Fetch's returnval): always with <c>xsi:type</c>.</summary>
    public void WriteAnyType(string name, VimValue value) => WriteTyped(name, value, anyType: true);

    /// <summary>Writes the fields of a data object inside an element the caller has opened.</summary>
    public void WriteFields(VimData data)
    {
        foreach (var field in data.Fields)
        {
            WriteField(data.Type, field);
        }
    }

    public void WriteMor(string name, ManagedObjectReference mor, bool anyType = false)
    {
        writer.WriteStartElement(name, VimXml.VimUri);
        writer.WriteAttributeString("type", mor.Type);
        if (anyType)
        {
            WriteXsiType("ManagedObjectReference");
        }

        writer.WriteString(mor.Value);
        writer.WriteEndElement();
    }

    private void WriteTyped(string name, VimValue value, bool anyType)
    {
        switch (value)
        {
            case ManagedObjectReference mor:
                WriteMor(name, mor, anyType);
                break;
            case VimPrimitive p:
                writer.WriteStartElement(name, VimXml.VimUri);
                if (anyType)
                {
                    WriteXsiType("xsd:" + p.XsdType);
                }

                writer.WriteString(p.Text);
                writer.WriteEndElement();
                break;
            case VimEnum e:
                writer.WriteStartElement(name, VimXml.VimUri);
                if (anyType)
                {
                    WriteXsiType(e.EnumType);
                }

                writer.WriteString(e.Text);
                writer.WriteEndElement();
                break;
            case VimData d:
                if (!VersionFilter.AllowsType(d.Type, version))
                {
                    return;
                }

                writer.WriteStartElement(name, VimXml.VimUri);
                if (anyType || d.Polymorphic)
                {
                    WriteXsiType(d.Type);
                }

                WriteFields(d);
                writer.WriteEndElement();
                break;
            case VimArray a:
                // Only reached for anyType slots: a field's array is expanded by WriteField.
                writer.WriteStartElement(name, VimXml.VimUri);
                WriteXsiType(a.WrapperType);
                var itemName = a.ItemType;
                foreach (var item in a.Items)
                {
                    var polymorphicItem = item is VimPrimitive or ManagedObjectReference
                        || (item is VimData d && (d.Polymorphic || d.Type != a.ItemType));
                    WriteTyped(itemName, item, polymorphicItem);
                }

                writer.WriteEndElement();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "not a vim25 value");
        }
    }

    private void WriteXsiType(string type) => writer.WriteAttributeString("xsi", "type", VimXml.XsiUri, type);
}
