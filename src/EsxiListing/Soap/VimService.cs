using System.Runtime.CompilerServices;
using System.Xml.Linq;

using EsxiImport.Diagnostics;
using EsxiImport.Vim25;

namespace EsxiImport.Listing.Soap;

/// <summary>
/// Typed vim25 calls over a <see cref="VimSoapClient"/>: each method builds its request element
/// from typed arguments and reads its reply into typed records, so no caller handles XML.
/// </summary>
public sealed class VimService(VimSoapClient client)
{
    public static readonly ManagedObjectReference ServiceInstance = new("ServiceInstance", "ServiceInstance");

    public VimSoapClient Client => client;

    public async Task<ServiceContent> RetrieveServiceContentAsync(CancellationToken ct = default)
    {
        var response = await client.InvokeAsync(Method("RetrieveServiceContent", ServiceInstance), ct).ConfigureAwait(false);
        var rv = Return(response);
        var about = rv.Child("about");
        return new ServiceContent(
            Mor(rv, "rootFolder", response),
            Mor(rv, "propertyCollector", response),
            Mor(rv, "viewManager", response),
            Mor(rv, "sessionManager", response),
            about?.ChildText("apiType") ?? "",
            about?.ChildText("apiVersion") ?? "");
    }

    /// <summary>Logs in; refused credentials become the upstream "incorrect username or password" error.</summary>
    public async Task LoginAsync(ServiceContent content, string userName, string password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            await client.InvokeAsync(Method("Login", content.SessionManager, Simple("userName", userName), Simple("password", password)), ct).ConfigureAwait(false);
        }
        catch (ToolError e) when (e.Kind == ErrorKind.Authentication)
        {
            throw ToolError.Wrap(e, "listing.login-failed", ErrorKind.Authentication);
        }
    }

    public async Task LogoutAsync(ServiceContent content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        await client.InvokeAsync(Method("Logout", content.SessionManager), ct).ConfigureAwait(false);
    }

    public async Task<ManagedObjectReference> CreateContainerViewAsync(
        ServiceContent content, ManagedObjectReference container, IReadOnlyList<string> types, bool recursive, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(types);
        var method = Method("CreateContainerView", content.ViewManager, container.ToElement(VimXml.Vim + "container"));
        method.Add(types.Select(t => Simple("type", t)));
        method.Add(Simple("recursive", recursive ? "true" : "false"));
        var response = await client.InvokeAsync(method, ct).ConfigureAwait(false);
        return Mor(response, "returnval", response);
    }

    public async Task DestroyViewAsync(ManagedObjectReference view, CancellationToken ct = default) =>
        await client.InvokeAsync(Method("DestroyView", view), ct).ConfigureAwait(false);

    public async Task<RetrieveResult> RetrievePropertiesExAsync(
        ServiceContent content, IReadOnlyList<PropertyFilterSpec> specSet, int? maxObjects, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(specSet);
        var method = Method("RetrievePropertiesEx", content.PropertyCollector);
        method.Add(specSet.Select(PropertyFilterSpecXml.ToElement));
        var options = new XElement(VimXml.Vim + "options");
        if (maxObjects is { } max)
        {
            options.Add(Simple("maxObjects", max.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        method.Add(options);
        return ReadResult(await client.InvokeAsync(method, ct).ConfigureAwait(false));
    }

    public async Task<RetrieveResult> ContinueRetrievePropertiesExAsync(ServiceContent content, string token, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var response = await client.InvokeAsync(Method("ContinueRetrievePropertiesEx", content.PropertyCollector, Simple("token", token)), ct).ConfigureAwait(false);
        return ReadResult(response);
    }

    /// <summary>Every ObjectContent of a retrieval, following continuation tokens page by page.</summary>
    public async IAsyncEnumerable<ObjectContent> RetrieveAllAsync(
        ServiceContent content, IReadOnlyList<PropertyFilterSpec> specSet, int? maxObjects, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var page = await RetrievePropertiesExAsync(content, specSet, maxObjects, ct).ConfigureAwait(false);
        while (true)
        {
            foreach (var o in page.Objects)
            {
                yield return o;
            }

            if (page.Token is not { } token)
            {
                yield break;
            }

            page = await ContinueRetrievePropertiesExAsync(content, token, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a RetrieveResult; an empty response element means nothing matched.</summary>
    public static RetrieveResult ReadResult(XElement response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Child("returnval") is not { } rv)
        {
            return RetrieveResult.Empty;
        }

        var objects = new List<ObjectContent>();
        foreach (var o in rv.Children("objects"))
        {
            if (ManagedObjectReference.From(o.Child("obj")) is not { } obj)
            {
                continue;
            }

            var props = new Dictionary<string, XElement>(StringComparer.Ordinal);
            foreach (var p in o.Children("propSet"))
            {
                if (p.ChildText("name") is { } name && p.Child("val") is { } val)
                {
                    props[name] = val;
                }
            }

            var missing = o.Children("missingSet")
                .Select(m => new MissingProperty(m.ChildText("path") ?? "", m.Child("fault")?.Child("fault")?.XsiType() ?? ""))
                .ToList();
            objects.Add(new ObjectContent(obj, props, missing));
        }

        return new RetrieveResult(rv.ChildText("token"), objects);
    }

    private static XElement Method(string name, ManagedObjectReference self, params object[] parameters) =>
        new(VimXml.Vim + name, new XAttribute("xmlns", VimXml.Vim.NamespaceName), self.ToElement(VimXml.Vim + "_this"), parameters);

    private static XElement Simple(string name, string value) => new(VimXml.Vim + name, value);

    private XElement Return(XElement response) =>
        response.Child("returnval") ?? throw ToolError.Of("listing.soap.missing-return", ErrorKind.Protocol, ("method", response.Name.LocalName));

    private static ManagedObjectReference Mor(XElement parent, string name, XElement response) =>
        ManagedObjectReference.From(parent.Child(name))
        ?? throw ToolError.Of("listing.soap.missing-field", ErrorKind.Protocol, ("field", name), ("method", response.Name.LocalName));
}
