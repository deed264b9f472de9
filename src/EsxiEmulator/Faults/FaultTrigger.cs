namespace EsxiImport.Emulator.Faults;

/// <summary>When a matching rule fires.</summary>
public abstract record FaultTrigger
{
    /// <summary>Every matching request.</summary>
    public sealed record Always : FaultTrigger;

    /// <summary>The first <paramref name="Count"/> matching requests.</summary>
    public sealed record First(long Count) : FaultTrigger;

    /// <summary>Lets <paramref name="Skip"/> matching requests pass, then fires <paramref name="Count"/> times.</summary>
    public sealed record SkipThen(long Skip, long Count) : FaultTrigger;

    /// <summary>Every matching request, once <paramref name="Bytes"/> bytes of its response body have been sent.</summary>
    public sealed record AfterBytes(long Bytes) : FaultTrigger;

    /// <summary>Each matching request with probability <paramref name="P"/>, from a generator seeded with <paramref name="Seed"/>.</summary>
    public sealed record Probability(double P, int Seed) : FaultTrigger;

    /// <summary>When more than <paramref name="Limit"/> requests of the same endpoint are in flight on arrival (this one included).</summary>
    public sealed record InFlightAbove(int Limit) : FaultTrigger;
}
