using System.Text.RegularExpressions;


namespace EsxiImport.Emulator.Faults;

/// <summary>The endpoint a rule watches.</summary>
public enum FaultEndpoint
{
    /// <summary>The datastore file API, <c>/folder</c>.</summary>
    Folder,

    /// <summary>The SOAP API, <c>/sdk</c> (including vimServiceVersions.xml, matched as method <c>vimServiceVersions</c>).</summary>
    Sdk,
}

/// <summary>
/// A parsed, live fault rule: what it matches, when it fires, what it does, and how often it has
/// matched and fired. Created by <see cref="FaultRuleParser"/>; added to a <see cref="FaultRuleSet"/>.
/// </summary>
public sealed class FaultRule
{
    private readonly Regex _match;
    private readonly Lock _randomLock = new();
    private readonly Random? _random;
    private long _matched;
    private long _hits;

    internal FaultRule(FaultRuleSpec spec, string text, FaultEndpoint endpoint, FaultTrigger trigger, FaultAction action)
    {
        Spec = spec;
        Text = text;
        Endpoint = endpoint;
        Trigger = trigger;
        Action = action;
        _match = GlobToRegex(spec.Match);
        _random = trigger is FaultTrigger.Probability p ? new Random(p.Seed) : null;
    }

    /// <summary>Position in the rule set, assigned when added; the rule's name in counters and the request log.</summary>
    public int Id { get; internal set; }

    public FaultRuleSpec Spec { get; }

    /// <summary>The rule in the one-line syntax (as given on the command line, or rendered from the spec).</summary>
    public string Text { get; }

    public FaultEndpoint Endpoint { get; }

    public FaultTrigger Trigger { get; }

    public FaultAction Action { get; }

    /// <summary>How many requests matched endpoint, method and glob.</summary>
    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>How many times the action was applied.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Does the rule concern this request (endpoint, HTTP method, path or SOAP method)?</summary>
    public bool Matches(FaultEndpoint endpoint, string httpMethod, string subject) =>
        endpoint == Endpoint
        && (Spec.Method is null || Spec.Method == "*" || string.Equals(Spec.Method, httpMethod, StringComparison.OrdinalIgnoreCase))
        && _match.IsMatch(subject);

    /// <summary>
    /// Counts a match and decides whether the trigger fires for it. Triggers that depend on the
    /// body (after-bytes) fire here for every match; the byte position is applied while sending.
    /// </summary>
    public bool Fires(int concurrencyAtArrival)
    {
        var n = Interlocked.Increment(ref _matched);
        return Trigger switch
        {
            FaultTrigger.Always or FaultTrigger.AfterBytes => true,
            FaultTrigger.First f => n <= f.Count,
            FaultTrigger.SkipThen s => n > s.Skip && n <= s.Skip + s.Count,
            FaultTrigger.Probability p => NextDouble() < p.P,
            FaultTrigger.InFlightAbove i => concurrencyAtArrival > i.Limit,
            _ => false,
        };
    }

    internal void CountHit() => Interlocked.Increment(ref _hits);

    public override string ToString() => $"#{Id} {Text}";

    private double NextDouble()
    {
        lock (_randomLock)
        {
            return _random!.NextDouble();
        }
    }

    /// <summary><c>*</c> is any run of characters ('/' included), <c>?</c> one character; matched against the whole subject.</summary>
    private static Regex GlobToRegex(string glob)
    {
        var pattern = "^" + Regex.Escape(glob).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
