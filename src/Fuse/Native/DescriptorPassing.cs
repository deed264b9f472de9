using System.Runtime.InteropServices;

using EsxiImport.Fuse.Protocol;

namespace EsxiImport.Fuse.Native;

/// <summary>
/// The socket half of fusermount3's protocol: a socket pair whose one end the helper inherits,
/// and the receipt of the /dev/fuse descriptor it sends back as SCM_RIGHTS with a one-byte
/// payload. Synchronous and unsafe, apart from the async code that drives it (CS4004).
/// </summary>
internal static unsafe class DescriptorPassing
{
    /// <summary>Creates the pair; <paramref name="ours"/> is close-on-exec, <paramref name="theirs"/> is inherited. Returns 0 or an errno.</summary>
    public static int CreatePair(out int ours, out int theirs)
    {
        var pair = stackalloc int[2];
        if (LibC.Socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM, 0, pair) != 0)
        {
            ours = theirs = -1;
            return Marshal.GetLastPInvokeError();
        }

        ours = pair[0];
        theirs = pair[1];
        LibC.Fcntl(ours, LibC.F_SETFD, LibC.FD_CLOEXEC);
        return 0;
    }

    /// <summary>Waits for the descriptor; -1 when the helper closed the socket without sending one.</summary>
    public static int Receive(int socket)
    {
        byte payload = 0;
        var control = stackalloc byte[32];
        var iov = new LibC.Iovec { Base = &payload, Length = 1 };
        var msg = new LibC.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = 24 };
        nint n;
        do
        {
            n = LibC.Recvmsg(socket, &msg, 0);
        }
        while (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        if (n <= 0 || msg.ControlLength < (nuint)(sizeof(LibC.CmsgHdr) + sizeof(int)))
        {
            return -1;
        }

        var header = (LibC.CmsgHdr*)control;
        return header->Level == LibC.SOL_SOCKET && header->Type == LibC.SCM_RIGHTS ? *(int*)(control + sizeof(LibC.CmsgHdr)) : -1;
    }
}
