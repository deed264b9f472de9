namespace EsxiImport.EsxiFuse.Startup;

/// <summary>
/// Switches for benchmarks and tests only, read from the environment so they never appear in
/// the usage text or the plugin's command line. Real ESXi hosts serve /folder over HTTPS only.
/// </summary>
public static class TestSwitches
{
    /// <summary>
    /// Set to <c>1</c> to talk plain HTTP to the host (the emulator's <c>--http</c>), so the
    /// benchmark can measure the tool without TLS. Documented in bench/README.md.
    /// </summary>
    public const string PlainHttpVariable = "ESXI_FUSE_TEST_PLAIN_HTTP";

    public static bool PlainHttp => Environment.GetEnvironmentVariable(PlainHttpVariable) == "1";
}
