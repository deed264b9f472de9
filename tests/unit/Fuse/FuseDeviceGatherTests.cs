using System.Buffers;
using System.IO.Pipes;

using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.FileSystem;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>
/// The device writes a reply as one writev of the head and every body segment, in order, so
/// lent cache pages reach the kernel without being joined first; a body of more segments than
/// the kernel takes in one call is joined instead of failing.
/// </summary>
public sealed class FuseDeviceGatherTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(FuseDevice.MaxIovecs + 5)]
    public void A_reply_reaches_the_descriptor_whole_and_in_order(int segments)
    {
        var head = Enumerable.Range(0, 16).Select(i => (byte)(200 + i)).ToArray();
        var parts = Enumerable.Range(0, segments).Select(i => Enumerable.Repeat((byte)i, 1 + (i % 3)).ToArray()).ToList();
        var frame = new ReplyFrame(7, head, Sequence(parts));
        var expected = head.Concat(parts.SelectMany(p => p)).ToArray();

        var written = WriteThroughPipe(frame);

        written.Should().Equal(expected);
    }

    [Fact]
    public void Empty_segments_are_skipped()
    {
        var head = new byte[] { 1, 2, 3 };
        var frame = new ReplyFrame(1, head, Sequence([[], [4, 5], [], [6]]));

        WriteThroughPipe(frame).Should().Equal(1, 2, 3, 4, 5, 6);
    }

    private static byte[] WriteThroughPipe(ReplyFrame frame)
    {
        using var reader = new AnonymousPipeServerStream(PipeDirection.In);
        using var writerHandle = reader.ClientSafePipeHandle;
        var device = FuseDevice.FromDescriptor((int)writerHandle.DangerousGetHandle());
        device.Write(frame).Should().Be(0);
        writerHandle.SetHandleAsInvalid(); // the device owns the descriptor now and closes it
        device.Dispose();
        reader.DisposeLocalCopyOfClientHandle();
        using var all = new MemoryStream();
        reader.CopyTo(all);
        return all.ToArray();
    }

    private static ReadOnlySequence<byte> Sequence(IReadOnlyList<byte[]> parts) =>
        ByteSequence.Join([.. parts.Select(p => (ReadOnlyMemory<byte>)p)]);
}
