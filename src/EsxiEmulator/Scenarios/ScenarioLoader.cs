using System.Globalization;
using System.Reflection;

using EsxiImport.Diagnostics;
using EsxiImport.Emulator.Faults;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EsxiImport.Emulator.Scenarios;

/// <summary>
/// Reads a scenario file (YAML, or JSON, which is YAML too) into the <see cref="Scenario"/> model
/// and validates it. Every problem is a <see cref="ToolError"/> whose message is one line naming
/// the file, the line and the field. Field names are the model's property names in camelCase.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>The name that selects the built-in scenario (spec/scenarios/default.yaml).</summary>
    public const string DefaultName = "default";

    /// <summary>Loads a file, or the built-in scenario when <paramref name="pathOrDefault"/> is <c>default</c>.</summary>
    public static Scenario Load(string pathOrDefault)
    {
        ArgumentNullException.ThrowIfNull(pathOrDefault);
        if (pathOrDefault == DefaultName)
        {
            return LoadDefault();
        }

        string text;
        try
        {
            text = File.ReadAllText(pathOrDefault);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ToolError.Wrap(e, "emulator.scenario.unreadable", ErrorKind.InvalidInput, ("file", pathOrDefault));
        }

        return Parse(text, pathOrDefault, Path.GetDirectoryName(Path.GetFullPath(pathOrDefault)) ?? ".");
    }

    /// <summary>The built-in scenario, embedded from spec/scenarios/default.yaml.</summary>
    public static Scenario LoadDefault()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("default.yaml")
            ?? throw new InvalidOperationException("default.yaml is not embedded in the emulator assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), DefaultName, Directory.GetCurrentDirectory());
    }

    /// <summary>Parses scenario text; <paramref name="file"/> names it in errors, <paramref name="baseDir"/> resolves relative content files.</summary>
    public static Scenario Parse(string text, string file, string baseDir)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw ToolError.Of("emulator.scenario.syntax", ErrorKind.InvalidInput, ("file", file), ("line", e.Start.Line), ("reason", FirstLine(e.Message)));
        }

        if (stream.Documents.Count == 0)
        {
            throw ToolError.Of("emulator.scenario.empty", ErrorKind.InvalidInput, ("file", file));
        }

        var root = new YamlFields(file, "", stream.Documents[0].RootNode);
        var reader = new ScenarioReader(file, baseDir);
        var scenario = reader.Read(root);
        new ScenarioValidator(reader.Origins).Validate(scenario);
        return scenario;
    }

    private static string FirstLine(string message)
    {
        var cut = message.IndexOfAny(['\r', '\n']);
        return cut < 0 ? message : message[..cut];
    }

    /// <summary>The mapping from YAML nodes to model objects; one method per model class.</summary>
    private sealed class ScenarioReader(string file, string baseDir)
    {
        /// <summary>The mapping each model object was read from, so validation can name its line.</summary>
        public Dictionary<object, YamlFields> Origins { get; } = new(ReferenceEqualityComparer.Instance);

        private T Track<T>(T value, YamlFields f)
            where T : class
        {
            f.RejectUnknown();
            Origins[value] = f;
            return value;
        }

        public Scenario Read(YamlFields f)
        {
            var s = new Scenario
            {
                Name = f.String("name") ?? Path.GetFileNameWithoutExtension(file),
                Host = f.Get("host") is { } h ? ReadHost(new YamlFields(file, f.Child("host"), h)) : new HostInfo(),
                Users = f.Get("users") is null ? [new ScenarioUser()] : [.. f.List("users").Select(u => ReadUser(new YamlFields(file, u.Path, u.Node)))],
                Datacenters = [.. f.List("datacenters").Select(d => ReadDatacenter(new YamlFields(file, d.Path, d.Node)))],
                Faults = [.. f.List("faults").Select(r => ReadFault(new YamlFields(file, r.Path, r.Node)))],
                Limits = f.Get("limits") is { } l ? ReadLimits(new YamlFields(file, f.Child("limits"), l)) : new HostLimits(),
            };
            return Track(s, f);
        }

        private HostInfo ReadHost(YamlFields f)
        {
            var d = new HostInfo();
            var h = new HostInfo
            {
                Version = f.String("version") ?? d.Version,
                Build = f.String("build") ?? d.Build,
                ApiVersion = f.String("apiVersion") ?? d.ApiVersion,
            };
            return Track(h, f);
        }

        private ScenarioUser ReadUser(YamlFields f)
        {
            var u = new ScenarioUser { Name = f.RequiredString("name"), Password = f.String("password") ?? "" };
            return Track(u, f);
        }

        private HostLimits ReadLimits(YamlFields f)
        {
            var name = f.String("profile");
            var limits = name is null ? new HostLimits()
                : HostProfiles.Find(name) ?? throw YamlFields.Error(
                    file, f.Get("profile")!, f.Child("profile"), ScenarioMessageIds.NotOneOfMessageId, ("value", name), ("allowed", HostProfiles.Names));
            foreach (var field in HostLimitFields.All)
            {
                if (f.String(field.Name) is not { } text)
                {
                    continue;
                }

                limits = HostLimitFields.Parse(field, text) is { } value
                    ? field.Set(limits, value)
                    : throw YamlFields.Error(
                        file, f.Get(field.Name)!, f.Child(field.Name), field.Sizes ? ScenarioMessageIds.BadSizeMessageId : ScenarioMessageIds.NotANumberMessageId, ("value", text));
            }

            return Track(limits, f);
        }

        private ScenarioDatacenter ReadDatacenter(YamlFields f)
        {
            var d = new ScenarioDatacenter
            {
                Name = f.String("name") ?? "ha-datacenter",
                Datastores = [.. f.List("datastores").Select(x => ReadDatastore(new YamlFields(file, x.Path, x.Node)))],
                Vms = [.. f.List("vms").Select(x => ReadVm(new YamlFields(file, x.Path, x.Node)))],
            };
            return Track(d, f);
        }

        private ScenarioDatastore ReadDatastore(YamlFields f)
        {
            var name = f.RequiredString("name");
            var d = new ScenarioDatastore
            {
                Name = name,
                Uuid = f.String("uuid") ?? UuidFor(name),
                Files = [.. f.List("files").Select(x => ReadFile(new YamlFields(file, x.Path, x.Node)))],
            };
            return Track(d, f);
        }

        private ScenarioFile ReadFile(YamlFields f)
        {
            var path = f.RequiredString("path");
            var x = new ScenarioFile
            {
                Path = path,
                Directory = f.Bool("directory") ?? path.EndsWith('/'),
                Size = f.Long("size", true) ?? 0,
                Content = f.Get("content") is { } c ? ReadContent(new YamlFields(file, f.Child("content"), c), "zeros") : new ContentSpec { Kind = "zeros" },
            };
            return Track(x, f);
        }

        private ScenarioVm ReadVm(YamlFields f)
        {
            var d = new ScenarioVm();
            var vm = new ScenarioVm
            {
                Name = f.RequiredString("name"),
                Datastore = f.RequiredString("datastore"),
                Folder = f.String("folder"),
                VmxFile = f.String("vmxFile"),
                VmxContent = f.String("vmxContent"),
                GuestOs = f.String("guestOs") ?? d.GuestOs,
                MemoryMb = f.Int("memoryMb") ?? d.MemoryMb,
                Cpus = f.Int("cpus") ?? d.Cpus,
                Firmware = f.String("firmware") ?? d.Firmware,
                PowerState = f.String("powerState") ?? d.PowerState,
                ExtraConfig = f.StringMap("extraConfig"),
                Disks = [.. f.List("disks").Select(x => ReadDisk(new YamlFields(file, x.Path, x.Node)))],
                ConfigUnavailable = f.Bool("configUnavailable") ?? false,
                ConfigChecksum = f.String("configChecksum"),
            };
            return Track(vm, f);
        }

        private ScenarioDisk ReadDisk(YamlFields f)
        {
            var d = new ScenarioDisk();
            var disk = new ScenarioDisk
            {
                Slot = f.String("slot") ?? d.Slot,
                Datastore = f.String("datastore"),
                Path = f.String("path"),
                CapacityBytes = f.Long("capacity", true) ?? d.CapacityBytes,
                Content = f.Get("content") is { } c ? ReadContent(new YamlFields(file, f.Child("content"), c), "pattern") : new ContentSpec(),
                VmxPathStyle = f.String("vmxPathStyle") ?? d.VmxPathStyle,
            };
            return Track(disk, f);
        }

        private ContentSpec ReadContent(YamlFields f, string defaultKind)
        {
            var d = new ContentSpec();
            var fileName = f.String("file");
            var c = new ContentSpec
            {
                Kind = f.String("kind") ?? defaultKind,
                Seed = (ulong)(f.Long("seed", false) ?? (long)d.Seed),
                Stride = f.Long("stride", true) ?? d.Stride,
                Text = f.String("text"),
                File = fileName is null ? null : Path.GetFullPath(fileName, baseDir),
            };
            return Track(c, f);
        }

        private FaultRuleSpec ReadFault(YamlFields f)
        {
            var d = new FaultRuleSpec();
            var r = new FaultRuleSpec
            {
                Endpoint = f.String("endpoint") ?? d.Endpoint,
                Match = f.String("match") ?? d.Match,
                Method = f.String("method"),
                Trigger = f.String("trigger") ?? d.Trigger,
                Action = f.String("action") ?? d.Action,
                Body = f.String("body"),
            };
            return Track(r, f);
        }

        /// <summary>A VMFS-style volume UUID derived from the name, so a scenario need not invent one.</summary>
        private static string UuidFor(string name)
        {
            var h = StableHash.Of(name);
            var h2 = StableHash.Of(name + "#");
            var hex = (h.ToString("x16", CultureInfo.InvariantCulture) + h2.ToString("x16", CultureInfo.InvariantCulture))[..28];
            return $"{hex[..8]}-{hex[8..16]}-{hex[16..20]}-{hex[20..28]}";
        }
    }
}
