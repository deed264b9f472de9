using System.Text.RegularExpressions;

using EsxiImport.Diagnostics;
using EsxiImport.UnitTests.Support;

namespace EsxiImport.UnitTests.Diagnostics;

/// <summary>
/// The catalogue and the code must name the same set of message ids: a text the code uses must
/// be defined in spec/messages.yaml, and a text defined there must be used by some code.
/// Code names ids only through the Diagnostics API (Messages.Text/Format, ToolError.Of/OfErrno/Wrap)
/// or through a <c>[MessageId]</c>-style constant ending in "MessageId"; the scan below knows those forms.
/// </summary>
public sealed partial class MessageCatalogueTests
{
    // A message id literal: lower-case words joined by '.', at least two parts.
    private const string IdPattern = "\"(?<id>[a-z0-9-]+(?:\\.[a-z0-9-]+)+)\"";

    [GeneratedRegex(@"\b(?:Messages\.(?:Text|Format)|ToolError\.(?:Of|OfErrno))\(\s*" + IdPattern)]
    private static partial Regex DirectUse();

    // ToolError.Wrap(cause, "id", ...): the id is the second argument; the cause may be any expression.
    [GeneratedRegex(@"\bToolError\.Wrap\([^;""]*?,\s*" + IdPattern)]
    private static partial Regex WrapUse();

    // const string FooMessageId = "id"; for ids that are chosen in one place and passed around.
    [GeneratedRegex(@"MessageId\s*=\s*" + IdPattern)]
    private static partial Regex ConstantUse();

    // src/ and tests/Support: the plugin's texts are rendered by the test-support launcher, which
    // reproduces the plugin, and nothing in src/ shows them.
    private static IEnumerable<string> CodeFiles() =>
        new[] { RepoPaths.Src(), RepoPaths.TestSupport() }.SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories));

    private static HashSet<string> IdsUsedBySource()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in CodeFiles())
        {
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            foreach (var regex in new[] { DirectUse(), WrapUse(), ConstantUse() })
            {
                foreach (Match m in regex.Matches(text))
                {
                    used.Add(m.Groups["id"].Value);
                }
            }
        }

        return used;
    }

    [Fact]
    public void Every_id_the_code_uses_is_in_the_catalogue()
    {
        var missing = IdsUsedBySource().Where(id => !Messages.All.ContainsKey(id)).Order().ToList();
        missing.Should().BeEmpty("every user-visible text must be defined in spec/messages.yaml");
    }

    // Any string literal shaped like an id: an id may reach the API through a variable or a nested call.
    [GeneratedRegex(IdPattern)]
    private static partial Regex AnyIdLiteral();

    private static HashSet<string> IdLiteralsInSource()
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in CodeFiles())
        {
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in AnyIdLiteral().Matches(File.ReadAllText(file)))
            {
                found.Add(m.Groups["id"].Value);
            }
        }

        return found;
    }

    [Fact]
    public void Every_catalogue_entry_is_used_by_the_code()
    {
        var used = IdLiteralsInSource();
        var unused = Messages.All.Keys.Where(id => !used.Contains(id)).Order().ToList();
        unused.Should().BeEmpty("a catalogue text that no code uses is dead and misleads readers of spec/");
    }

    [Fact]
    public void The_embedded_catalogue_equals_the_file_in_spec()
    {
        using var reader = new StreamReader(RepoPaths.Spec("messages.yaml"));
        var onDisk = Messages.Parse(reader);
        onDisk.Keys.Should().BeEquivalentTo(Messages.All.Keys);
        foreach (var (id, def) in onDisk)
        {
            Messages.All[id].Template.Should().Be(def.Template, "entry {0} differs from the build", id);
        }
    }

    [Fact]
    public void Every_entry_has_a_well_formed_id_text_and_channel()
    {
        var known = new[] { "stderr", "syslog", "ready-fd", "plugin", "json", "http", "stdout" };
        foreach (var def in Messages.All.Values)
        {
            def.Id.Should().MatchRegex("^[a-z0-9-]+(\\.[a-z0-9-]+)+$");
            def.Template.Should().NotBeNullOrWhiteSpace("entry {0} needs a text", def.Id);
            def.Template.Should().NotContain("\n", "entry {0} must be one line", def.Id);
            def.Channels.Should().NotBeEmpty("entry {0} must say where it is shown", def.Id);
            def.Channels.Should().OnlyContain(c => known.Contains(c), "entry {0} names known channels", def.Id);
        }
    }
}
