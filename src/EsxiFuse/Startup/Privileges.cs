using System.Runtime.InteropServices;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Os;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// Drops root after mounting: supplementary groups and the group first (while we may still
/// change them), then the user. Real, effective and saved ids all change, so root cannot be
/// regained. Everything the tool needs later is loaded first (<see cref="Preload"/>): the new
/// user may not be able to read the tool's own files.
/// </summary>
public static class Privileges
{
    public static unsafe void Drop(uint? gid, uint? uid)
    {
        if (gid is null && uid is null)
        {
            return;
        }

        Preload.Everything();
        if (gid is { } g)
        {
            if (NativeMethods.SetGroups(1, &g) != 0 || NativeMethods.SetResGid(g, g, g) != 0)
            {
                throw ToolError.Wrap(OsError.Of(Marshal.GetLastPInvokeError()), "esxi-folder-fuse.privileges.group");
            }
        }

        if (uid is { } u)
        {
            // Without a group change, root's supplementary groups would stay with the new user.
            if ((gid is null && NativeMethods.SetGroups(0, null) != 0) || NativeMethods.SetResUid(u, u, u) != 0)
            {
                throw ToolError.Wrap(OsError.Of(Marshal.GetLastPInvokeError()), "esxi-folder-fuse.privileges.user");
            }
        }
    }
}
