namespace EsxiImport.EsxiFuse.Startup;

/// <summary>The exit codes upstream's tool uses and the plugin reports (as wait status × 256).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Argument errors (wait status 256).</summary>
    public const int Usage = 1;

    /// <summary>Every other fatal error: upstream's <c>exit(-1)</c> (wait status 65280).</summary>
    public const int Fatal = 255;
}
