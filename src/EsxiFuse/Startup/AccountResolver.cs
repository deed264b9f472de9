using System.Globalization;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Os;
using EsxiImport.Fuse.Protocol;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// Turns <c>--change-user</c> / <c>--change-group</c> into ids: a number is taken as it is (as
/// upstream does), a name is looked up in the system databases (NSS, so LDAP users work too).
/// A user without <c>--change-group</c> gets the primary group of its entry: keeping root's
/// group would let no one but root (and allow_other) use the mount.
/// </summary>
public static class AccountResolver
{
    // No context of our own around these errors: as in upstream's tool, the stderr line names the
    // cause itself ("Error: no such user 'x'").
    public static uint ResolveUser(string nameOrUid) =>
        uint.TryParse(nameOrUid, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : LookupUser(nameOrUid);

    public static uint ResolveGroup(string nameOrGid) =>
        uint.TryParse(nameOrGid, NumberStyles.None, CultureInfo.InvariantCulture, out var gid) ? gid : LookupGroup(nameOrGid);

    /// <summary>The primary group of user <paramref name="uid"/>, for <c>--change-user</c> without <c>--change-group</c>.</summary>
    public static unsafe uint PrimaryGroupOf(uint uid) =>
        FindPasswd((pwd, b, size, result) => NativeMethods.GetPwUidR(uid, pwd, b, size, result), out var entry) switch
        {
            0 => entry.Gid,
            -1 => throw ToolError.Of("esxi-folder-fuse.user.no-primary-group", ErrorKind.NotFound, ("uid", uid)),
            var rc => throw ToolError.Wrap(OsError.Of(rc), "esxi-folder-fuse.user.primary-group-failed", ("uid", uid)),
        };

    private static unsafe uint LookupUser(string name) =>
        FindPasswd((pwd, b, size, result) => NativeMethods.GetPwNamR(name, pwd, b, size, result), out var entry) switch
        {
            0 => entry.Uid,
            -1 => throw ToolError.Of("esxi-folder-fuse.user.unknown", ErrorKind.NotFound, ("name", name)),
            var rc => throw ToolError.Wrap(OsError.Of(rc), "esxi-folder-fuse.user.lookup-failed", ("name", name)),
        };

    private unsafe delegate int PasswdQuery(NativeMethods.Passwd* pwd, byte* buffer, nuint size, NativeMethods.Passwd** result);

    /// <summary>
    /// Runs a getpw*_r query with a growing buffer. Returns 0 with the entry, -1 when there is
    /// no such user, or the errno of a failed lookup.
    /// </summary>
    private static unsafe int FindPasswd(PasswdQuery query, out NativeMethods.Passwd entry)
    {
        entry = default;
        for (nuint size = 1024; ; size *= 4)
        {
            var buffer = new byte[size];
            NativeMethods.Passwd pwd;
            NativeMethods.Passwd* result;
            int rc;
            fixed (byte* b = buffer)
            {
                rc = query(&pwd, b, size, &result);
            }

            if (rc == Errno.ERANGE && size < (1 << 20))
            {
                continue;
            }

            // glibc reports "not found" as 0 with a null result; some NSS modules use ENOENT/ESRCH.
            if (rc == 0 && result is not null)
            {
                entry = pwd;
                return 0;
            }

            return rc is 0 or Errno.ENOENT or Errno.ESRCH or Errno.EBADF or Errno.EPERM ? -1 : rc;
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
