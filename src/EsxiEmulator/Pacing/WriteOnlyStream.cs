namespace EsxiImport.Emulator.Pacing;

/// <summary>
/// A response body wrapper over Kestrel's stream: write-only and forward-only, everything but
/// <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> settled once here.
/// </summary>
internal abstract class WriteOnlyStream(Stream inner) : Stream
{
    protected Stream Inner => inner;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Sent; set => throw new NotSupportedException(); }

    /// <summary>Body bytes passed on so far.</summary>
    protected long Sent { get; set; }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);
}
