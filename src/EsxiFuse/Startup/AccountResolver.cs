using System.Globalization;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Os;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// Turns <c>--change-user</c> / <c>--change-group</c> into ids: a number is taken as it is (as
/// upstream does), a name is looked up in the system databases (NSS, so LDAP users work too).
/// </summary>
public static class AccountResolver
{
    // No context of our own around these errors: as in upstream's tool, the stderr line names the
    // cause itself ("Error: no such user 'x'").
    public static uint ResolveUser(string nameOrUid) =>
        uint.TryParse(nameOrUid, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : LookupUser(nameOrUid);

    public static uint ResolveGroup(string nameOrGid) =>
        uint.TryParse(nameOrGid, NumberStyles.None, CultureInfo.InvariantCulture, out var gid) ? gid : LookupGroup(nameOrGid);

    private static unsafe uint LookupUser(string name)
    {
        for (nuint size = 1024; ; size *= 4)
        {
            var buffer = new byte[size];
            NativeMethods.Passwd pwd;
            NativeMethods.Passwd* result;
            int rc;
            fixed (byte* b = buffer)
            {
                rc = NativeMethods.GetPwNamR(name, &pwd, b, size, &result);
            }

            if (rc == Errno.ERANGE && size < (1 << 20))
            {
                continue;
            }

            // glibc reports "not found" as 0 with a null result; some NSS modules use ENOENT/ESRCH.
            if (rc == 0 && result is not null)
            {
                return pwd.Uid;
            }

            if (rc is 0 or Errno.ENOENT or Errno.ESRCH or Errno.EBADF or Errno.EPERM)
            {
                throw ToolError.Of("esxi-folder-fuse.user.unknown", ErrorKind.NotFound, ("name", name));
            }

            throw ToolError.Wrap(OsError.Of(rc), "esxi-folder-fuse.user.lookup-failed", ("name", name));
        }
    }

    private static unsafe uint LookupGroup(string name)
    {
        for (nuint size = 1024; ; size *= 4)
        {
            var buffer = new byte[size];
            NativeMethods.Group grp;
            NativeMethods.Group* result;
            int rc;
            fixed (byte* b = buffer)
            {
                rc = NativeMethods.GetGrNamR(name, &grp, b, size, &result);
            }

            if (rc == Errno.ERANGE && size < (1 << 20))
            {
                continue;
            }

            if (rc == 0 && result is not null)
            {
                return grp.Gid;
            }

            if (rc is 0 or Errno.ENOENT or Errno.ESRCH or Errno.EBADF or Errno.EPERM)
            {
                throw ToolError.Of("esxi-folder-fuse.group.unknown", ErrorKind.NotFound, ("name", name));
            }

            throw ToolError.Wrap(OsError.Of(rc), "esxi-folder-fuse.group.lookup-failed", ("name", name));
        }
    }
}
