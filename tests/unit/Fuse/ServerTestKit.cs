using System.Runtime.InteropServices;

using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>Builds request frames in code and reads reply headers, for the session rule tests.</summary>
public static class SessionTestKit
{
    /// <summary>A request frame; pid 0 (no caller thread) lets an INTERRUPT for it cancel it.</summary>
    public static byte[] Frame(Opcode opcode, ulong unique, ulong nodeId, ReadOnlySpan<byte> body, uint pid = 0)
    {
        var frame = new byte[InHeader.WireSize + body.Length];
        var header = new InHeader { Len = (uint)frame.Length, Opcode = (uint)opcode, Unique = unique, NodeId = nodeId, Pid = pid };
        MemoryMarshal.Write(frame, in header);
        body.CopyTo(frame.AsSpan(InHeader.WireSize));
        return frame;
    }

    public static byte[] Struct<T>(T value)
        where T : struct
    {
        var bytes = new byte[System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        MemoryMarshal.Write(bytes, in value);
        return bytes;
    }

    public static byte[] Read(ulong unique, ulong nodeId = 3, ulong fh = 1, ulong offset = 0, uint size = 4096, uint pid = 0) =>
        Frame(Opcode.Read, unique, nodeId, Struct(new ReadIn { Fh = fh, Offset = offset, Size = size }), pid);

    public static byte[] Interrupt(ulong target) => Frame(Opcode.Interrupt, target | 1, 0, Struct(new InterruptIn { Unique = target }));

    public static OutHeader Header(ReplyFrame frame) => MemoryMarshal.Read<OutHeader>(frame.Head);

    /// <summary>A handler whose behaviour per request is given by a function.</summary>
    public sealed class ScriptedHandler(Func<FuseRequest, CancellationToken, ValueTask<FuseReply>> handle) : IFuseRequestHandler
    {
        public List<ForgetOne> Forgotten { get; } = [];

        public ValueTask<FuseReply> HandleAsync(FuseRequest request, CancellationToken cancellationToken) => handle(request, cancellationToken);

        public void Forget(IReadOnlyList<ForgetOne> items) => Forgotten.AddRange(items);
    }

    /// <summary>Collects log lines.</summary>
    public sealed class LogSink
    {
        private readonly List<(FuseLogLevel Level, string Message, Exception? Error)> _lines = [];

        public IReadOnlyList<(FuseLogLevel Level, string Message, Exception? Error)> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToList();
                }
            }
        }

        public void Log(FuseLogLevel level, string message, Exception? error)
        {
            lock (_lines)
            {
                _lines.Add((level, message, error));
            }
        }
    }

    public static async Task WaitUntil(Func<bool> condition, int timeoutMs = 5000)
    {
        var start = Environment.TickCount64;
        while (!condition())
        {
            if (Environment.TickCount64 - start > timeoutMs)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(5);
        }
    }
}
