using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.UnitTests.Support;

namespace EsxiImport.UnitTests.Esxi;

public sealed class FolderClientTuningTests
{
    private static readonly FolderClientOptions Defaults = new()
    {
        Host = HostAddress.Parse("127.0.0.1:443"),
        User = "root",
        Password = "s3cret",
    };

    private static FolderClientTuning Tuning(params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    [Fact]
    public void No_variables_keep_the_production_defaults()
    {
        FolderClientTuning.None.Apply(Defaults).Should().Be(Defaults);
    }

    [Fact]
    public void Each_variable_sets_its_limit()
    {
        var tuned = Tuning(
            (FolderClientTuning.ConnectTimeoutVariable, "250"),
            (FolderClientTuning.RequestTimeoutVariable, "300"),
            (FolderClientTuning.MaxAttemptsVariable, "2"),
            (FolderClientTuning.RetryDelayVariable, "10"),
            (FolderClientTuning.SpeedLimitVariable, "1000"),
            (FolderClientTuning.SpeedTimeVariable, "400"),
            (FolderClientTuning.CallTimeoutVariable, "5000"),
            (FolderClientTuning.RateLimitDelayVariable, "20")).Apply(Defaults);
        tuned.ConnectTimeout.Should().Be(TimeSpan.FromMilliseconds(250));
        tuned.RequestTimeout.Should().Be(TimeSpan.FromMilliseconds(300));
        tuned.MaxAttempts.Should().Be(2);
        tuned.RetryBaseDelay.Should().Be(TimeSpan.FromMilliseconds(10));
        tuned.RetryMaxDelay.Should().Be(Defaults.RetryMaxDelay);
        tuned.SpeedLimit.Should().Be(1000);
        tuned.SpeedTime.Should().Be(TimeSpan.FromMilliseconds(400));
        tuned.CallTimeout.Should().Be(TimeSpan.FromSeconds(5));
        tuned.RateLimitDelay.Should().Be(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public void The_production_defaults_are_the_documented_ones()
    {
        (Defaults.ConnectTimeout, Defaults.RequestTimeout, Defaults.SpeedLimit, Defaults.SpeedTime, Defaults.CallTimeout)
            .Should().Be((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), 16384L, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(55)));
        (Defaults.MaxAttempts, Defaults.MaxTimeoutAttempts, Defaults.RetryBaseDelay, Defaults.RateLimitDelay)
            .Should().Be((5, 2, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Every_variable_is_named_in_the_readme()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        FolderClientTuning.Variables.Should().OnlyContain(v => readme.Contains(v, StringComparison.Ordinal));
    }

    [Fact]
    public void A_retry_delay_above_the_maximum_raises_the_maximum_so_the_options_stay_valid()
    {
        var tuned = Tuning((FolderClientTuning.RetryDelayVariable, "60000")).Apply(Defaults);
        tuned.RetryMaxDelay.Should().Be(TimeSpan.FromMinutes(1));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void A_setting_the_client_cannot_work_with_is_refused_when_it_is_built(string value)
    {
        var tuned = Tuning((FolderClientTuning.SpeedTimeVariable, value));
        var act = () => new FolderClient(tuned.Apply(Defaults)).Dispose();
        act.Should().Throw<ToolError>().Which.Message.Should().StartWith("invalid ESXi client setting");
    }

    [Fact]
    public void A_value_that_is_not_a_whole_number_is_the_clients_invalid_setting_error()
    {
        var act = () => Tuning((FolderClientTuning.RequestTimeoutVariable, "1.5s")).Apply(Defaults);
        act.Should().Throw<ToolError>().Which.Message.Should().Be("invalid ESXi client setting ESXI_FUSE_REQUEST_TIMEOUT_MS: 1.5s");
    }

    [Theory]
    [InlineData("1.1", 1, 1)]
    [InlineData("2", 2, 0)]
    [InlineData("2.0", 2, 0)]
    public void The_http_version_variable_picks_http1_or_http2(string value, int major, int minor)
    {
        Defaults.HttpVersion.Should().Be(new Version(1, 1));
        Tuning((FolderClientTuning.HttpVersionVariable, value)).Apply(Defaults).HttpVersion.Should().Be(new Version(major, minor));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("h2")]
    [InlineData("")]
    public void Another_http_version_is_the_clients_invalid_setting_error(string value)
    {
        var act = () => Tuning((FolderClientTuning.HttpVersionVariable, value)).Apply(Defaults);
        act.Should().Throw<ToolError>().Which.Message.Should().Be($"invalid ESXi client setting ESXI_FUSE_HTTP_VERSION: {value}");
    }
}
