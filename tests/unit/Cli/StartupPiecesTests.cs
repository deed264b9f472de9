using System.Runtime.InteropServices;

using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Os;
using EsxiImport.EsxiFuse.Startup;

using Serilog.Events;

namespace EsxiImport.UnitTests.Cli;

public sealed class StartupPiecesTests
{
    [Theory]
    [InlineData("/run/mnt", "\"/run/mnt\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("x\ny\rz\t\0", "\"x\\ny\\rz\\t\\0\"")]
    [InlineData("bell\u0007", "\"bell\\u{7}\"")]
    [InlineData("ümlaut #1", "\"ümlaut #1\"")]
    public void Paths_are_quoted_like_upstreams_debug_format(string path, string quoted) =>
        DebugQuote.Of(path).Should().Be(quoted);

    [Theory]
    [InlineData("off", null)]
    [InlineData("Error", LogEventLevel.Error)]
    [InlineData("WARN", LogEventLevel.Warning)]
    [InlineData("info", LogEventLevel.Information)]
    [InlineData("debug", LogEventLevel.Debug)]
    [InlineData("trace", LogEventLevel.Verbose)]
    public void Log_levels_have_the_rust_log_crates_names(string name, LogEventLevel? level)
    {
        LogLevelName.TryParse(name, out var parsed).Should().BeTrue();
        parsed.Should().Be(level);
        LogLevelName.TryParse("verbose", out _).Should().BeFalse();
    }

    [Fact]
    public void Valued_mount_options_are_read_back()
    {
        var o = MountOptionList.Parse(["allow_root", "default_permissions", "auto_unmount", "fsname=esxi", "subtype=folder", "max_read=131072"]);
        o.AllowRoot.Should().BeTrue();
        o.AllowOther.Should().BeFalse();
        o.DefaultPermissions.Should().BeTrue();
        o.AutoUnmount.Should().BeTrue();
        o.FsName.Should().Be("esxi");
        o.Subtype.Should().Be("folder");
        o.MaxRead.Should().Be(131072);
        MountOptionList.Parse([]).MaxRead.Should().BeNull();
        FluentActions.Invoking(() => MountOptionList.Parse(["max_read=0"])).Should().Throw<EsxiImport.Diagnostics.ToolError>()
            .Which.Chain().Should().Equal("mount option 'max_read' needs a value");
    }

    [Fact]
    public void Errno_texts_read_like_rusts_io_errors()
    {
        OsError.Of(13).Message.Should().Be("Permission denied (os error 13)");
        OsError.Of(13).Errno.Should().Be(13);
        OsError.ErrnoOf(new FileNotFoundException(), "/x").Should().Be(2);
        OsError.ErrnoOf(new UnauthorizedAccessException(), "/").Should().Be(21);
        OsError.ErrnoOf(new UnauthorizedAccessException(), "/nonexistent/x").Should().Be(13);
        OsError.ErrnoOf(new PathTooLongException(), "/x").Should().Be(36);
        OsError.ErrnoOf(new IOException("odd"), "/x").Should().Be(5);
    }

    [Fact]
    public void The_process_environment_uses_the_standard_fds_and_the_syslog_override()
    {
        var env = ToolEnvironment.FromProcess();
        env.StdFds.Should().Equal(0, 1, 2);
        env.OwnsProcess.Should().BeTrue();
        env.SyslogSocketPath.Should().Be(Environment.GetEnvironmentVariable("ESXI_FUSE_SYSLOG_SOCKET") is { Length: > 0 } p ? p : "/dev/log");
        ProgramName.FromProcess().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void Reading_the_manifest_reports_a_directory_as_such()
    {
        var e = FluentActions.Invoking(() => ManifestLoader.Load("/")).Should().Throw<EsxiImport.Diagnostics.ToolError>().Which;
        e.Chain().Should().Equal("failed to read manifest \"/\"", "Is a directory (os error 21)");
    }

    [Fact]
    public void Dropping_to_the_current_ids_succeeds()
    {
        // The tests run as root; dropping to root itself exercises the calls without losing anything.
        if (Environment.UserName != "root")
        {
            return;
        }

        Privileges.Drop(0, 0);
        Privileges.Drop(null, null);
    }

    [Fact]
    public void A_users_primary_group_comes_from_its_entry()
    {
        AccountResolver.PrimaryGroupOf(0).Should().Be(0);
        AccountResolver.PrimaryGroupOf(AccountResolver.ResolveUser("nobody")).Should().Be(AccountResolver.ResolveGroup("nogroup"));
        FluentActions.Invoking(() => AccountResolver.PrimaryGroupOf(4242)).Should().Throw<EsxiImport.Diagnostics.ToolError>()
            .Which.Chain().Should().Equal("user 4242 has no entry in the user database to take a primary group from; give --change-group");
    }

    [Fact]
    public void Preloading_loads_the_tools_own_assemblies_and_the_catalogue()
    {
        Preload.Everything();
        var names = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).ToHashSet();
        names.Should().Contain(["Polly.Core", "Serilog", "YamlDotNet", "EsxiImport.Diagnostics", "EsxiImport.VmxParser", "System.Net.Http"]);
    }

    [Fact]
    public void The_mount_table_is_searched_with_the_folder_resolved_and_a_plain_folder_answers()
    {
        var dir = Directory.CreateTempSubdirectory("esxi-mountpoint-").FullName;
        try
        {
            var link = Path.Combine(dir, "link");
            Directory.CreateSymbolicLink(link, "/");
            MountPathPreparation.Find(Path.Combine(link, "proc"))!.FileSystemType.Should().Be("proc", "/proc is found through a symbolic link");
            MountPathPreparation.Find(Path.Combine(dir, "nothing")).Should().BeNull();
            MountPathPreparation.Probe(dir).Should().Be(MountPathPreparation.Liveness.Alive);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_user_the_tool_becomes_must_be_able_to_enter_the_folder_of_the_mount_path()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return;
        }

        var dir = Directory.CreateTempSubdirectory("esxi-reach-").FullName;
        try
        {
            var mnt = Path.Combine(dir, "mnt");
            Directory.CreateDirectory(mnt);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            MountPathPreparation.CheckReachable(mnt, 0, 0);
            FluentActions.Invoking(() => MountPathPreparation.CheckReachable(mnt, 65534, 65534)).Should().Throw<EsxiImport.Diagnostics.ToolError>()
                .Which.Chain().Should().Equal(
                    $"failed to mount fuse file system at \"{mnt}\"",
                    $"user 65534 may not enter \"{dir}\", so once the tool runs as that user it could not unmount; let others search that folder (chmod o+x) or mount elsewhere",
                    "Permission denied (os error 13)");
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
            MountPathPreparation.CheckReachable(mnt, 65534, 65534);

            // A caller in root's group 0 (the folder's group, which may not search it) still
            // checks as the new user will be: with only the new group, so the "other" bits decide.
            Exception? asGroupZero = null;
            var caller = new Thread(() =>
            {
                ThreadGroups.SetToRootOnly();
                asGroupZero = Record.Exception(() => MountPathPreparation.CheckReachable(mnt, 65534, 65534));
            });
            caller.Start();
            caller.Join();
            asGroupZero.Should().BeNull();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>The raw setgroups system call, which changes the calling thread's supplementary groups only.</summary>
internal static partial class ThreadGroups
{
    public static void SetToRootOnly()
    {
        var list = Marshal.AllocHGlobal(sizeof(uint));
        try
        {
            Marshal.WriteInt32(list, 0);
            var number = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 159 : 116;
            Syscall(number, 1, list).Should().Be(0, "root may set its thread's groups");
        }
        finally
        {
            Marshal.FreeHGlobal(list);
        }
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial nint Syscall(nint number, nint first, nint second);
}
