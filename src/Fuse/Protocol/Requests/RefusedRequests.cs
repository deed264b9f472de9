namespace EsxiImport.Fuse.Protocol.Requests;

/// <summary>
/// A request that would change the file system (SETATTR, WRITE, CREATE, MKDIR, ...). Its body
/// is not parsed: the answer is always EROFS, whatever it says.
/// </summary>
public sealed record ModifyingRequest(RequestHeader Header) : FuseRequest(Header);

/// <summary>
/// A request this layer does not implement (FLUSH, GETXATTR, STATX, an opcode from a newer
/// minor, ...). The answer is ENOSYS, which the kernel remembers per connection for most of them.
/// </summary>
public sealed record UnsupportedRequest(RequestHeader Header) : FuseRequest(Header);
