using EsxiImport.IntegrationTests.Fuse;

namespace EsxiImport.IntegrationTests.Mount;

/// <summary>Runs shell commands with arguments passed as positional parameters, so names need no quoting.</summary>
public static class Shell
{
    /// <summary>Runs <paramref name="script"/> with <c>$1…</c> set to <paramref name="args"/>.</summary>
    public static async Task<ProcessResult> RunAsync(string script, params string[] args)
    {
        using var runner = new ProcessRunner();
        return await runner.RunAsync("/bin/sh", ["-c", script, "sh", .. args], timeoutSeconds: 60);
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
