using System.Text;

namespace EsxiImport.Fuse.Connection;

/// <summary>One line of /proc/self/mountinfo, the fields this layer needs.</summary>
public sealed record MountEntry(string Device, string MountPoint, string FileSystemType, string Source);

/// <summary>
/// Reads /proc/self/mountinfo. Unlike stat() or `mountpoint -d` this never touches the mount,
/// so it works before INIT is answered and on a stale mount.
/// </summary>
public static class MountTable
{
    public const string MountInfoPath = "/proc/self/mountinfo";

    public static IReadOnlyList<MountEntry> Read(string path = MountInfoPath) => Parse(File.ReadAllText(path));

    public static IReadOnlyList<MountEntry> Parse(string text)
    {
        var entries = new List<MountEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || dash < 0 || dash + 2 >= fields.Length)
            {
                continue;
            }

            entries.Add(new MountEntry(fields[2], Unescape(fields[4]), fields[dash + 1], Unescape(fields[dash + 2])));
        }

        return entries;
    }

    /// <summary>The newest mount at <paramref name="mountPoint"/>, or null.</summary>
    public static MountEntry? Find(string mountPoint, string path = MountInfoPath)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(mountPoint));
        return Read(path).LastOrDefault(e => e.MountPoint == full);
    }

    /// <summary>Undoes the kernel's octal escapes (\040 for a space, \011, \012, \134).</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var bytes = new List<byte>();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                bytes.Add((byte)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(string s, int start) =>
        start + 3 <= s.Length && s[start] is >= '0' and <= '7' && s[start + 1] is >= '0' and <= '7' && s[start + 2] is >= '0' and <= '7';
}
