using System.Globalization;
using System.Text;

using Serilog.Events;

namespace EsxiImport.EsxiFuse.Logging;

/// <summary>
/// One RFC 3164 record as a local syslog daemon expects it on /dev/log:
/// <c>&lt;PRI&gt;Mmm dd hh:mm:ss esxi-folder-fuse[pid]: message</c>, facility daemon, no host
/// name (the daemon adds it). The message is kept whole, line breaks included, so the error
/// chain stays one record.
/// </summary>
public static class SyslogRecord
{
    /// <summary>The facility code of <c>LOG_DAEMON</c>.</summary>
    public const int DaemonFacility = 3;

    public const string Tag = "esxi-folder-fuse";

    public static byte[] Format(LogEventLevel level, DateTime localTime, int pid, string message)
    {
        var pri = (DaemonFacility * 8) + Severity(level);
        var month = CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(localTime.Month);
        var stamp = string.Create(
            CultureInfo.InvariantCulture,
            $"{month} {localTime.Day,2} {localTime:HH':'mm':'ss}");
        return Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"<{pri}>{stamp} {Tag}[{pid}]: {message}"));
    }

    /// <summary>The syslog severity of a Serilog level (RFC 5424 table 2).</summary>
    public static int Severity(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 6,
        _ => 7,
    };
}
