using EsxiImport.Emulator.Faults;
using EsxiImport.Emulator.Replay;
using EsxiImport.FieldReport.Har;
using EsxiImport.TestSupport.Recordings;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace EsxiImport.PropertyTests.Emulator;

/// <summary>
/// The fault rules a replay derives from a recording give back every recorded failure of a
/// request on the same request number (a 503 on the 3rd GET of a file comes back on the 3rd), and
/// nothing on the requests that were answered: the rule walk is simulated as the request gate
/// walks it (an answering rule ends the walk; a body fault lets it go on).
/// </summary>
public sealed class ReplayFaultProperties
{
    private const string Path = "vm/vm-flat.vmdk";

    /// <summary>The recorded outcomes: healthy, 503, 500, 404, a reset before the answer, a body cut off.</summary>
    private static readonly string[] Outcomes = ["ok", "503", "500", "404", "reset", "broken"];

    private static HarEntry Entry(string outcome) => outcome switch
    {
        "ok" => HarEntries.Folder("GET", Path, 206, range: "bytes 0-9/100", length: 10),
        "reset" => HarEntries.Folder("GET", Path, 0, contentType: null, error: "reset: connection reset"),
        "broken" => HarEntries.Folder("GET", Path, 206, range: "bytes 0-9/100", length: 10, error: "reset: cut"),
        _ => HarEntries.Folder("GET", Path, int.Parse(outcome, System.Globalization.CultureInfo.InvariantCulture), contentType: "text/plain", text: "busy " + outcome),
    };

    /// <summary>What the rules must do to the request that got <paramref name="outcome"/>; null when the scenario answers it by itself.</summary>
    private static string? Expected(string outcome, bool exists) => outcome switch
    {
        "ok" => null,
        "reset" => "reset-before",
        "broken" => "reset-mid-body",
        "404" when !exists => null,
        _ => "status:" + outcome,
    };

    [Property(MaxTest = 300)]
    public Property Each_recorded_failure_comes_back_on_its_request_number()
    {
        var sequences = Gen.ListOf(Gen.Elements(Outcomes)).Select(l => l.ToArray()).Where(a => a.Length > 0).ToArbitrary();
        return Prop.ForAll(sequences, outcomes =>
        {
            var recorded = Recorded.From(HarEntries.File([.. outcomes.Select(Entry)]), "r.har");
            var scenario = ReplayScenario.From(recorded, "r.har");
            var rules = new FaultRuleSet();
            foreach (var spec in scenario.Faults)
            {
                rules.Add(spec);
            }

            var exists = outcomes.Any(o => o is "ok" or "broken");
            for (var i = 0; i < outcomes.Length; i++)
            {
                if (Walk(rules) != Expected(outcomes[i], exists))
                {
                    return false;
                }
            }

            // Past the recording, nothing fires any more.
            return Walk(rules) is null;
        });
    }

    private static string? Walk(FaultRuleSet rules)
    {
        string? outcome = null;
        foreach (var rule in rules.Rules)
        {
            if (!rule.Matches(FaultEndpoint.Folder, "GET", Path) || !rule.Fires(1))
            {
                continue;
            }

            switch (rule.Action)
            {
                case FaultAction.Status s:
                    return "status:" + s.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
                case FaultAction.ResetBefore:
                    return "reset-before";
                case FaultAction.ResetMidBody:
                    outcome = "reset-mid-body";
                    break;
            }
        }

        return outcome;
    }
}
