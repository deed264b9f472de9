using System.Text;

namespace EsxiImport.Emulator.Scenarios;

/// <summary>
/// FNV-1a over UTF-8: a hash that is the same in every run (string.GetHashCode is randomised per
/// process), for generated names and ids that tests compare.
/// </summary>
public static class StableHash
{
    public static ulong Of(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            h = unchecked((h ^ b) * 0x100000001B3UL);
        }

        return h;
    }
}
