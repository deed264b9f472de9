namespace EsxiImport.IntegrationTests.Mount;

/// <summary>One tool mount of <see cref="MountScenarios.Small"/> shared by the read-only tests of a class.</summary>
public sealed class SmallMountFixture : IAsyncLifetime
{
    public ToolMount Mount { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Mount = await ToolMount.StartAsync(options: new ToolMountOptions { Environment = ToolMount.FastHttp });

    public async Task DisposeAsync() => await Mount.DisposeAsync();
}
