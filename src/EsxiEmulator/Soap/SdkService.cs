using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Xml;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Inventory;
using EsxiImport.Emulator.Scenarios;
using EsxiImport.Emulator.Sessions;

using Microsoft.AspNetCore.Http;

namespace EsxiImport.Emulator.Soap;

/// <summary>
/// The vim25 SOAP endpoint of the emulated host (<c>POST /sdk</c>) and its version document
/// (<c>GET /sdk/vimServiceVersions.xml</c>). Serves the subset pyvmomi's SmartConnect, a
/// listvms-style walk and our own listing client use: RetrieveServiceContent, Login, Logout,
/// SessionIsActive, CreateContainerView, DestroyView, RetrieveProperties, RetrievePropertiesEx,
/// ContinueRetrievePropertiesEx, CancelRetrievePropertiesEx and Fetch. Replies are written for
/// the version named in SOAPAction; every fault goes through <see cref="SoapFaultWriter"/>.
/// </summary>
public sealed class SdkService : EsxiImport.Emulator.Http.ISdkHandler
{
    private const int MaxRequestBytes = 16 << 20;

    private readonly Scenario _scenario;
    private readonly SessionStore _sessions;
    private readonly ApiVersion _hostVersion;
    private readonly ConcurrentDictionary<string, ContainerViewState> _views = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingResult> _pending = new(StringComparer.Ordinal);

    public SdkService(Scenario scenario, SessionStore sessions)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        _sessions = sessions ?? throw new ArgumentNullException(nameof(sessions));
        _hostVersion = new ApiVersion(scenario.Host.ApiVersion);
        Inventory = HostInventory.Build(scenario);
    }

    /// <summary>The managed objects served, built from the scenario.</summary>
    public HostInventory Inventory { get; }

    /// <summary>Number of ContainerViews currently alive (a client that never calls DestroyView leaks them).</summary>
    public int ViewCount => _views.Count;

    /// <summary>Number of RetrievePropertiesEx tokens not yet continued or cancelled.</summary>
    public int PendingResultCount => _pending.Count;

    /// <summary>Serves <c>GET /sdk/vimServiceVersions.xml</c> (no authentication, as on ESXi).</summary>
    public async Task VersionsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = ServiceVersions.Document(_hostVersion);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Serves one <c>POST /sdk</c> call: 200 with the reply, or 500 with a SOAP fault.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var version = ServiceVersions.Negotiate(context.Request.Headers["SOAPAction"].ToString(), _hostVersion);
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        SoapOutcome outcome;
        var method = "";
        if (body is null)
        {
            outcome = SoapFault.InvalidRequest(Messages.Format("emulator.soap.body-too-large", ("limit", MaxRequestBytes)));
        }
        else if (SoapRequest.TryParse(body, out var request) is { } parseFault)
        {
            outcome = parseFault;
        }
        else
        {
            method = request.Name;
            _sessions.TryGet(context.Request.Cookies[SessionStore.CookieName], out var session);
            outcome = Dispatch(request, session, version, context);
        }

        if (outcome is SoapFault fault)
        {
            await SoapFaultWriter.WriteAsync(context, fault.Type, fault.Message, fault.Detail).ConfigureAwait(false);
            return;
        }

        var reply = Render(((SoapReply)outcome).WriteReturn, method, version);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/xml; charset=utf-8";
        context.Response.ContentLength = reply.Length;
        await context.Response.Body.WriteAsync(reply, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxRequestBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, n);
        }

        return buffer.ToArray();
    }

    private static byte[] Render(Action<VimXmlWriter>? writeReturn, string method, ApiVersion version)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("soapenv", "Envelope", SoapFaultWriter.SoapEnvelopeNs);
            w.WriteAttributeString("xmlns", "soapenc", null, SoapFaultWriter.SoapEncNs);
            w.WriteAttributeString("xmlns", "xsd", null, SoapFaultWriter.XsdNs);
            w.WriteAttributeString("xmlns", "xsi", null, SoapFaultWriter.XsiNs);
            w.WriteStartElement("soapenv", "Body", SoapFaultWriter.SoapEnvelopeNs);
            w.WriteStartElement("", method + "Response", SoapFaultWriter.VimNs);
            writeReturn?.Invoke(new VimXmlWriter(w, version));
            w.WriteFullEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    private SoapOutcome Dispatch(SoapRequest request, Session? session, ApiVersion version, HttpContext context)
    {
        var m = request.Method;
        if (SoapRequest.Mor(SoapRequest.Child(m, "_this")) is not { } self)
        {
            return SoapFault.InvalidRequest(Messages.Text("emulator.soap.missing-this"));
        }

        // Calls a client makes before it has a session.
        switch (request.Name)
        {
            case "RetrieveServiceContent":
                return Require(self, "ServiceInstance", request.Name)
                    ?? new SoapReply(ReturnData(Inventory.ServiceContent));
            case "Login":
                return Require(self, "SessionManager", request.Name) ?? Login(m, context);
            case "Fetch" when self == HostInventory.ServiceInstance:
                return Fetch(m, self, version);
        }

        if (session is null)
        {
            return SoapFault.NotAuthenticated(self);
        }

        return request.Name switch
        {
            "Logout" => Require(self, "SessionManager", request.Name) ?? Logout(session),
            "SessionIsActive" => Require(self, "SessionManager", request.Name) ?? SessionIsActive(m),
            "CreateContainerView" => Require(self, "ViewManager", request.Name) ?? CreateContainerView(m, session),
            "DestroyView" => DestroyView(self, session),
            "RetrieveProperties" => Require(self, "PropertyCollector", request.Name) ?? RetrieveProperties(m, session, version, paged: false),
            "RetrievePropertiesEx" => Require(self, "PropertyCollector", request.Name) ?? RetrieveProperties(m, session, version, paged: true),
            "ContinueRetrievePropertiesEx" => Require(self, "PropertyCollector", request.Name) ?? ContinueRetrieve(m, session),
            "CancelRetrievePropertiesEx" => Require(self, "PropertyCollector", request.Name) ?? CancelRetrieve(m, session),
            "Fetch" => Fetch(m, self, version, session),
            _ => MethodNotFound(self, request.Name),
        };
    }

    private SoapOutcome? Require(ManagedObjectRef self, string type, string method)
    {
        if (Inventory.Find(self) is null)
        {
            return SoapFault.ObjectNotFound(self);
        }

        return self.Type == type ? null : MethodNotFound(self, method);
    }

    private static SoapFault MethodNotFound(ManagedObjectRef self, string method) => new("MethodNotFound",
        Messages.Format("emulator.soap.method-not-found", ("method", method), ("type", self.Type)),
        w =>
        {
            w.WriteStartElement("receiver", SoapFaultWriter.VimNs);
            w.WriteAttributeString("type", self.Type);
            w.WriteString(self.Value);
            w.WriteEndElement();
            w.WriteElementString("method", SoapFaultWriter.VimNs, method);
        });

    private static Action<VimXmlWriter> ReturnData(VimData data) => w =>
    {
        w.Xml.WriteStartElement("returnval", SoapFaultWriter.VimNs);
        w.WriteFields(data);
        w.Xml.WriteEndElement();
    };

    private SoapOutcome Login(System.Xml.Linq.XElement m, HttpContext context)
    {
        var user = SoapRequest.Child(m, "userName")?.Value ?? "";
        var password = SoapRequest.Child(m, "password")?.Value ?? "";
        var account = _scenario.Users.FirstOrDefault(u => u.Name == user);
        if (account is null || !SessionStore.PasswordMatches(account.Password, password))
        {
            return new SoapFault("InvalidLogin", Messages.Text("emulator.soap.invalid-login"));
        }

        var session = _sessions.Create(account.Name);
        context.Response.Headers.SetCookie = SessionStore.SetCookieValue(session);
        var userSession = InventoryValues.UserSession(
            Guid.NewGuid().ToString("D"), account.Name, session.Created,
            context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
        return new SoapReply(ReturnData(userSession));
    }

    private SoapOutcome Logout(Session session)
    {
        _sessions.Remove(session.Id);
        foreach (var (id, view) in _views)
        {
            if (view.SessionId == session.Id)
            {
                _views.TryRemove(id, out _);
            }
        }

        foreach (var (token, pending) in _pending)
        {
            if (pending.SessionId == session.Id)
            {
                _pending.TryRemove(token, out _);
            }
        }

        return SoapReply.Void;
    }

    private SoapOutcome SessionIsActive(System.Xml.Linq.XElement m)
    {
        var sessionId = SoapRequest.Text(m, "sessionID") ?? "";
        var userName = SoapRequest.Text(m, "userName") ?? "";
        var active = _sessions.TryGet(sessionId, out var s) && s.UserName == userName;
        return new SoapReply(w => w.WriteField("SessionIsActiveResponse", new VimField("returnval", VimPrimitive.Bool(active))));
    }

    private SoapOutcome CreateContainerView(System.Xml.Linq.XElement m, Session session)
    {
        if (SoapRequest.Mor(SoapRequest.Child(m, "container")) is not { } container)
        {
            return SoapFault.InvalidArgument("container");
        }

        if (Inventory.Find(container) is null)
        {
            return SoapFault.ObjectNotFound(container);
        }

        if (!ManagedTypes.IsContainer(container.Type))
        {
            return SoapFault.InvalidArgument("container");
        }

        var types = SoapRequest.Children(m, "type").Select(e => e.Value.Trim()).ToList();
        var id = "session[" + session.Id + "]" + Guid.NewGuid().ToString("D");
        _views[id] = new ContainerViewState(session.Id, container, types, SoapRequest.Bool(m, "recursive", false));
        var view = new ManagedObjectRef("ContainerView", id);
        return new SoapReply(w => w.WriteMor("returnval", view));
    }

    private SoapOutcome DestroyView(ManagedObjectRef self, Session session)
    {
        if (self.Type != "ContainerView" || !_views.TryGetValue(self.Value, out var view) || view.SessionId != session.Id)
        {
            return SoapFault.ObjectNotFound(self);
        }

        _views.TryRemove(self.Value, out _);
        return SoapReply.Void;
    }

    /// <summary>Finds an inventory object, or a ContainerView of this session as a managed object.</summary>
    private ManagedObject? Find(ManagedObjectRef reference, Session? session)
    {
        if (reference.Type != "ContainerView")
        {
            return Inventory.Find(reference);
        }

        if (session is null || !_views.TryGetValue(reference.Value, out var view) || view.SessionId != session.Id)
        {
            return null;
        }

        var members = Inventory.Descendants(view.Container, view.Recursive)
            .Where(r => view.Types.Count == 0 || view.Types.Any(t => ManagedTypes.IsA(r.Type, t)))
            .Cast<VimValue>().ToList();
        return new ManagedObject(reference,
        [
            new("container", view.Container),
            new("type", new VimArray("string", view.Types.Select(t => (VimValue)VimPrimitive.String(t)).ToList())),
            new("recursive", VimPrimitive.Bool(view.Recursive)),
            new("view", new VimArray("ManagedObjectReference", members)),
        ]);
    }

    private SoapOutcome RetrieveProperties(System.Xml.Linq.XElement m, Session session, ApiVersion version, bool paged)
    {
        var specs = new List<PropertyFilterSpec>();
        foreach (var element in SoapRequest.Children(m, "specSet"))
        {
            if (PropertyFilterSpec.TryParse(element, out var spec) is { } fault)
            {
                return fault;
            }

            specs.Add(spec);
        }

        if (specs.Count == 0)
        {
            return SoapFault.InvalidArgument("specSet");
        }

        var collector = new PropertyCollector(r => Find(r, session), version);
        if (collector.TryRetrieve(specs, out var contents) is { } retrieveFault)
        {
            return retrieveFault;
        }

        if (!paged)
        {
            return new SoapReply(w =>
            {
                foreach (var content in contents)
                {
                    WriteObjectContent(w, "returnval", content);
                }
            });
        }

        var options = SoapRequest.Child(m, "options");
        var maxText = options is null ? null : SoapRequest.Text(options, "maxObjects");
        var max = int.TryParse(maxText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : int.MaxValue;
        return Page(contents, max, session);
    }

    private SoapOutcome Page(List<ObjectContent> contents, int max, Session session)
    {
        if (contents.Count == 0)
        {
            return SoapReply.Void;
        }

        string? token = null;
        var page = contents;
        if (contents.Count > max)
        {
            page = contents.GetRange(0, max);
            token = Guid.NewGuid().ToString("N");
            _pending[token] = new PendingResult(session.Id, contents.GetRange(max, contents.Count - max), max);
        }

        return new SoapReply(w =>
        {
            w.Xml.WriteStartElement("returnval", SoapFaultWriter.VimNs);
            if (token is not null)
            {
                w.Xml.WriteElementString("token", SoapFaultWriter.VimNs, token);
            }

            foreach (var content in page)
            {
                WriteObjectContent(w, "objects", content);
            }

            w.Xml.WriteEndElement();
        });
    }

    private SoapOutcome ContinueRetrieve(System.Xml.Linq.XElement m, Session session)
    {
        var token = SoapRequest.Text(m, "token") ?? "";
        // Tokens are single-use and belong to the session that got them.
        if (!_pending.TryGetValue(token, out var pending) || pending.SessionId != session.Id || !_pending.TryRemove(token, out _))
        {
            return SoapFault.InvalidProperty("token");
        }

        return Page(pending.Rest, pending.PageSize, session);
    }

    private SoapOutcome CancelRetrieve(System.Xml.Linq.XElement m, Session session)
    {
        var token = SoapRequest.Text(m, "token") ?? "";
        if (!_pending.TryGetValue(token, out var pending) || pending.SessionId != session.Id)
        {
            return SoapFault.InvalidProperty("token");
        }

        _pending.TryRemove(token, out _);
        return SoapReply.Void;
    }

    // Fetch (pyvmomi 8's property accessor): the property's value as an anyType returnval, nothing when unset.
    private SoapOutcome Fetch(System.Xml.Linq.XElement m, ManagedObjectRef self, ApiVersion version, Session? session = null)
    {
        if (Find(self, session) is not { } obj)
        {
            return SoapFault.ObjectNotFound(self);
        }

        var path = SoapRequest.Text(m, "prop") ?? "";
        var (known, value) = new PropertyCollector(r => Find(r, session), version).Read(obj, path);
        if (!known)
        {
            return SoapFault.InvalidProperty(path);
        }

        return value is null ? SoapReply.Void : new SoapReply(w => w.WriteAnyType("returnval", value));
    }

    private static void WriteObjectContent(VimXmlWriter w, string element, ObjectContent content)
    {
        var x = w.Xml;
        x.WriteStartElement(element, SoapFaultWriter.VimNs);
        w.WriteMor("obj", content.Obj);
        foreach (var (name, value) in content.PropSet)
        {
            x.WriteStartElement("propSet", SoapFaultWriter.VimNs);
            x.WriteElementString("name", SoapFaultWriter.VimNs, name);
            w.WriteAnyType("val", value);
            x.WriteEndElement();
        }

        foreach (var missing in content.MissingSet)
        {
            x.WriteStartElement("missingSet", SoapFaultWriter.VimNs);
            x.WriteElementString("path", SoapFaultWriter.VimNs, missing.Path);
            x.WriteStartElement("fault", SoapFaultWriter.VimNs);
            w.WriteAnyType("fault", missing.Fault);
            x.WriteElementString("localizedMessage", SoapFaultWriter.VimNs, missing.Message);
            x.WriteEndElement();
            x.WriteEndElement();
        }

        x.WriteEndElement();
    }

    private sealed record ContainerViewState(string SessionId, ManagedObjectRef Container, IReadOnlyList<string> Types, bool Recursive);

    private sealed record PendingResult(string SessionId, List<ObjectContent> Rest, int PageSize);
}
