using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EsxiImport.EsxiFuse.Diagnose;

/// <summary>
/// The report for tools: one JSON object (UTF-8, indented), field names in camelCase, absent
/// facts as null. Written field by field (no reflection), so the NativeAOT build needs no
/// serializer metadata. <c>schema</c> names the layout; a field is only ever added to it.
/// </summary>
internal static class ReportJson
{
    public const string Schema = "esxi-folder-fuse-diagnose/1";

    public static string Render(DiagnoseReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("schema", Schema);
            json.WriteString("toolVersion", report.ToolVersion);
            json.WriteBoolean("redacted", report.Redacted);
            json.WriteBoolean("quick", report.Quick);
            json.WriteNumber("exitCode", report.ExitCode);
            json.WriteBoolean("mountWouldSucceed", report.MountError is null);
            json.WriteString("mountError", report.MountError);
            Array(json, "steps", report.Steps, Step);
            OrNull(json, "host", report.Host, Host);
            Array(json, "vms", report.Vms, Vm);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Host(Utf8JsonWriter json, HostFacts host)
    {
        json.WriteStartObject();
        json.WriteString("address", host.Address);
        json.WriteString("product", host.Product);
        json.WriteString("version", host.Version);
        json.WriteString("build", host.Build);
        json.WriteString("apiVersion", host.ApiVersion);
        json.WriteString("productSource", host.ProductSource);
        OrNull(json, "tls", host.Tls, Tls);

        Strings(json, "httpVersions", host.HttpVersions);
        json.WriteString("acceptRanges", host.AcceptRanges);
        json.WriteString("probeFile", host.ProbeFile);
        Number(json, "probeFileBytes", host.ProbeFileBytes);
        Number(json, "headLatencyMs", host.HeadLatencyMs);
        json.WriteNumber("headSamples", host.HeadSamples);
        OrNull(json, "oneStream", host.OneStream, Run);
        Array(json, "parallel", host.Parallel, Run);
        Number(json, "firstRejectedStreams", host.FirstRejectedStreams);
        json.WriteString("measurementNote", host.MeasurementNote);
        json.WriteEndObject();
    }

    private static void Step(Utf8JsonWriter json, StepResult step)
    {
        json.WriteStartObject();
        json.WriteString("id", step.Id);
        json.WriteString("status", step.Status.ToString().ToLowerInvariant());
        json.WriteString("detail", step.Detail);
        Strings(json, "chain", step.Chain);
        json.WriteString("hint", step.Hint);
        json.WriteBoolean("fatal", step.Fatal);
        json.WriteEndObject();
    }

    private static void Tls(Utf8JsonWriter json, TlsFacts tls)
    {
        json.WriteStartObject();
        json.WriteString("protocol", tls.Protocol);
        json.WriteString("subject", tls.Subject);
        json.WriteString("issuer", tls.Issuer);
        json.WriteBoolean("trusted", tls.Trusted);
        json.WriteString("trustProblem", tls.TrustProblem);
        json.WriteEndObject();
    }

    private static void Run(Utf8JsonWriter json, Throughput run)
    {
        json.WriteStartObject();
        json.WriteNumber("streams", run.Streams);
        json.WriteNumber("bytes", run.Bytes);
        json.WriteNumber("seconds", Math.Round(run.Seconds, 3));
        json.WriteNumber("mibPerSecond", Math.Round(run.MibPerSecond, 1));
        json.WriteNumber("rejected", run.Rejected);
        json.WriteNumber("failed", run.Failed);
        json.WriteString("firstFailure", run.FirstFailure);
        json.WriteEndObject();
    }

    private static void Vm(Utf8JsonWriter json, VmSurvey vm)
    {
        json.WriteStartObject();
        json.WriteString("datacenter", vm.Datacenter);
        json.WriteString("name", vm.Name);
        json.WriteString("power", vm.Power);
        json.WriteString("guestOs", vm.GuestOs);
        json.WriteString("firmware", vm.Firmware);
        json.WritePropertyName("vmx");
        File(json, vm.Vmx);
        Array(json, "disks", vm.Disks, Disk);
        Array(json, "risks", vm.Risks, Risk);
        Strings(json, "warnings", vm.Warnings);
        Strings(json, "checkFailure", vm.CheckFailure);
        json.WriteEndObject();
    }

    private static void Disk(Utf8JsonWriter json, VmDisk disk)
    {
        json.WriteStartObject();
        json.WriteString("slot", disk.Slot);
        json.WritePropertyName("descriptor");
        File(json, disk.Descriptor);
        json.WriteString("createType", disk.CreateType);
        Number(json, "capacityBytes", disk.CapacityBytes);
        json.WriteString("mode", disk.Mode);
        Array(json, "extents", disk.Extents, File);
        Array(json, "parents", disk.Parents, File);
        json.WriteNumber("snapshotDepth", disk.Parents.Count);
        json.WriteEndObject();
    }

    private static void Risk(Utf8JsonWriter json, VmRisk risk)
    {
        json.WriteStartObject();
        json.WriteString("id", risk.Id);
        json.WriteString("text", risk.Text);
        json.WriteEndObject();
    }

    /// <summary>An array property, each item written by <paramref name="write"/>.</summary>
    private static void Array<T>(Utf8JsonWriter json, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            write(json, item);
        }

        json.WriteEndArray();
    }

    /// <summary>A property written by <paramref name="write"/>, or null when there is no value.</summary>
    private static void OrNull<T>(Utf8JsonWriter json, string name, T? value, Action<Utf8JsonWriter, T> write)
        where T : class
    {
        if (value is null)
        {
            json.WriteNull(name);
            return;
        }

        json.WritePropertyName(name);
        write(json, value);
    }

    private static void File(Utf8JsonWriter json, VmFile file)
    {
        json.WriteStartObject();
        json.WriteString("path", file.Path);
        Number(json, "bytes", file.Bytes);
        json.WriteString("problem", file.Problem);
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values) =>
        Array(json, name, values, static (w, value) => w.WriteStringValue(value));

    private static void Number(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, Math.Round(v, 3));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
