using System.Buffers;

namespace EsxiImport.Fuse.FileSystem;

/// <summary>Chains buffers into one <see cref="ReadOnlySequence{T}"/> without copying them (lent reads).</summary>
public static class ByteSequence
{
    /// <summary>The parts, in order, as one sequence; no part is copied.</summary>
    public static ReadOnlySequence<byte> Join(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        switch (parts.Count)
        {
            case 0:
                return ReadOnlySequence<byte>.Empty;
            case 1:
                return new ReadOnlySequence<byte>(parts[0]);
            default:
                var first = new Segment(parts[0], 0);
                var last = first;
                for (var i = 1; i < parts.Count; i++)
                {
                    last = last.Append(parts[i]);
                }

                return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
