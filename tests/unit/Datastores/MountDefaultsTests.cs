using EsxiImport.EsxiFuse.Caching;
using EsxiImport.EsxiFuse.Datastores;
using EsxiImport.Fuse.Connection;

namespace EsxiImport.UnitTests.Datastores;

/// <summary>The tool's mount asks the kernel to read ahead as far as its page cache does, under upstream's name.</summary>
public sealed class MountDefaultsTests
{
    [Fact]
    public void Kernel_readahead_equals_the_cache_window_and_the_name_is_the_tools()
    {
        var options = MountDefaults.Apply(new FuseMountOptions { AllowOther = true });
        options.ReadAheadKb.Should().Be(PageCacheOptions.DefaultReadAheadBytes / 1024);
        options.Server.MaxReadahead.Should().Be((uint)PageCacheOptions.DefaultReadAheadBytes);
        options.FileSystemType.Should().Be("fuse.esxi-folder-fuse");
        options.Source.Should().Be("esxi-folder-fuse");
        options.AllowOther.Should().BeTrue();
    }
}
