namespace EsxiImport.Fuse.Protocol.Wire;

/// <summary>
/// A struct of <c>linux/fuse.h</c>, read and written as it lies in memory. <see cref="WireSize"/>
/// is the size the header gives it, so the opcode table can compare it with the size the
/// runtime lays the struct out in.
/// </summary>
public interface IWireStruct
{
    static abstract int WireSize { get; }
}
