using EsxiImport.Fuse.Connection;
using EsxiImport.Fuse.Protocol;
using EsxiImport.Fuse.Protocol.Requests;
using EsxiImport.Fuse.Protocol.Wire;

namespace EsxiImport.UnitTests.Fuse;

/// <summary>The pure parts of mounting: mount data, mountinfo parsing, INIT negotiation.</summary>
public sealed class MountSupportTests
{
    [Fact]
    public void Kernel_data_has_the_required_options_and_only_the_asked_extras()
    {
        new FuseMountOptions().KernelData(7, 0, 0).Should().Be("fd=7,rootmode=40000,user_id=0,group_id=0,default_permissions");
        new FuseMountOptions { AllowOther = true, DefaultPermissions = false, MaxRead = 131072, UserId = 65534, GroupId = 65534 }
            .KernelData(9, 0, 0).Should().Be("fd=9,rootmode=40000,user_id=65534,group_id=65534,allow_other,max_read=131072");
    }

    [Fact]
    public void Mountinfo_lines_give_device_mount_point_type_and_source()
    {
        const string text =
            "22 1 0:21 / /proc rw,nosuid - proc proc rw\n" +
            "91 22 0:52 / /tmp/with\\040space/mnt rw,nosuid,nodev,relatime shared:5 - fuse.esxi-folder-fuse esxi-folder-fuse ro,user_id=0\n" +
            "broken line\n";
        var entries = MountTable.Parse(text);
        entries.Should().HaveCount(2);
        entries[1].Should().Be(new MountEntry("0:52", "/tmp/with space/mnt", "fuse.esxi-folder-fuse", "esxi-folder-fuse"));
        MountTable.Unescape("a\\011b\\134c\\012").Should().Be("a\tb\\c\n");
        MountTable.Unescape("no\\9escape").Should().Be("no\\9escape");
    }

    [Fact]
    public void Find_reads_the_live_mount_table()
    {
        MountTable.Find("/proc").Should().NotBeNull();
        MountTable.Find("/proc")!.FileSystemType.Should().Be("proc");
    }

    private static InitRequest Init(uint major, uint minor, InitFlags flags) =>
        new(new RequestHeader(104, (uint)Opcode.Init, 2, 0, 0, 0, 0), major, minor, 131072, flags);

    [Fact]
    public void Negotiation_takes_the_lower_minor_and_the_common_flags()
    {
        var (reply, info) = InitNegotiation.Answer(Init(7, 45, (InitFlags)0x5fd_73fffffbUL), new FuseServerOptions());
        var init = ((InitReply)reply).Init;
        (init.Minor, init.MaxPages, init.MaxBackground, init.CongestionThreshold, init.TimeGran).Should().Be((38U, (ushort)256, (ushort)64, (ushort)48, 1U));
        info!.Flags.Should().Be(InitFlags.AsyncRead | InitFlags.DoReaddirplus | InitFlags.AsyncDio | InitFlags.ParallelDirops | InitFlags.MaxPages);
    }

    [Fact]
    public void Negotiation_without_max_pages_offered_leaves_max_pages_zero_and_honours_options()
    {
        var options = new FuseServerOptions { Readdirplus = false, AutoInvalidateData = true, MaxBackground = 100, CongestionThreshold = 10 };
        var (reply, info) = InitNegotiation.Answer(Init(7, 26, InitFlags.AsyncRead | InitFlags.AutoInvalData | InitFlags.DoReaddirplus), options);
        var init = ((InitReply)reply).Init;
        (init.Minor, init.MaxPages, init.CongestionThreshold).Should().Be((26U, (ushort)0, (ushort)10));
        info!.Flags.Should().Be(InitFlags.AsyncRead | InitFlags.AutoInvalData);
    }

    [Fact]
    public void A_flag_in_the_high_half_adds_init_ext()
    {
        var options = new FuseServerOptions();
        var (reply, info) = InitNegotiation.Answer(Init(7, 38, InitFlags.AsyncRead | InitFlags.SecurityCtx), options);
        info!.Flags.Should().NotHaveFlag(InitFlags.SecurityCtx, "it is not wanted");
        ((InitReply)reply).Init.Flags2.Should().Be(0);
    }

    [Fact]
    public void Without_a_readahead_of_its_own_the_answer_is_the_kernels_offer()
    {
        var (reply, info) = InitNegotiation.Answer(Init(7, 38, InitFlags.AsyncRead), new FuseServerOptions());
        ((InitReply)reply).Init.MaxReadahead.Should().Be(131072);
        info!.MaxReadahead.Should().Be(131072);
        var (chosen, _) = InitNegotiation.Answer(Init(7, 38, InitFlags.AsyncRead), new FuseServerOptions { MaxReadahead = 1 << 20 });
        ((InitReply)chosen).Init.MaxReadahead.Should().Be(1U << 20);
    }

    [Fact]
    public void The_type_and_helper_options_carry_a_subtype_only_when_one_is_given()
    {
        new FuseMountOptions().FileSystemType.Should().Be("fuse");
        Fusermount.HelperOptions(new FuseMountOptions()).Should().Be("ro,nosuid,nodev,fsname=fuse,default_permissions");
        var named = new FuseMountOptions { Source = "src", Subtype = "tool" };
        named.FileSystemType.Should().Be("fuse.tool");
        Fusermount.HelperOptions(named).Should().Be("ro,nosuid,nodev,fsname=src,subtype=tool,default_permissions");
    }

    [Fact]
    public void Device_minimum_buffer_follows_max_write()
    {
        FuseDevice.MinimumBufferSize(4096).Should().Be(8192);
        FuseDevice.MinimumBufferSize(1 << 20).Should().Be((1 << 20) + 80);
    }
}
