
namespace EsxiImport.Emulator.Faults;

/// <summary>
/// The live, ordered list of fault rules: scenario rules first, then <c>--fault</c> rules, then
/// rules tests add at run time, each in the order given. Rules can be added and removed while
/// the server runs; a request sees the list as it was when the request arrived.
/// </summary>
public sealed class FaultRuleSet
{
    private readonly Lock _lock = new();
    private FaultRule[] _rules = [];
    private int _nextId = 1;

    /// <summary>The rules in evaluation order.</summary>
    public IReadOnlyList<FaultRule> Rules => Volatile.Read(ref _rules);

    /// <summary>Adds a parsed rule at the end and gives it the next id.</summary>
    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_lock)
        {
            rule.Id = _nextId++;
            _rules = [.. _rules, rule];
        }

        return rule;
    }

    /// <summary>Parses and adds a rule in the one-line syntax (e.g. <c>folder:GET:*-flat.vmdk:first:3:status:503</c>).</summary>
    public FaultRule Add(string line) => Add(FaultRuleParser.ParseLine(line));

    /// <summary>Parses and adds a rule in the scenario form.</summary>
    public FaultRule Add(FaultRuleSpec spec) => Add(FaultRuleParser.Parse(spec));

    /// <summary>Removes a rule; false when it was not in the set.</summary>
    public bool Remove(FaultRule rule)
    {
        lock (_lock)
        {
            var before = _rules.Length;
            _rules = [.. _rules.Where(r => !ReferenceEquals(r, rule))];
            return _rules.Length != before;
        }
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _rules = [];
        }
    }
}
