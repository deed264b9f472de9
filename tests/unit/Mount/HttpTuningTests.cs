using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.EsxiFuse.Mount;

namespace EsxiImport.UnitTests.Mount;

public sealed class HttpTuningTests
{
    private static readonly FolderClientOptions Defaults = new()
    {
        Host = HostAddress.Parse("127.0.0.1:443"),
        User = "root",
        Password = "pw",
    };

    [Fact]
    public void Unset_variables_keep_the_production_defaults()
    {
        HttpTuning.Apply(Defaults, _ => null).Should().Be(Defaults);
        HttpTuning.Apply(Defaults, _ => "").Should().Be(Defaults);
    }

    [Fact]
    public void Each_variable_sets_its_setting()
    {
        var env = new Dictionary<string, string>
        {
            [HttpTuning.ConnectTimeoutVariable] = "2000",
            [HttpTuning.RequestTimeoutVariable] = "1500",
            [HttpTuning.AttemptsVariable] = "3",
            [HttpTuning.RetryDelayVariable] = "50",
            [HttpTuning.RetryMaxDelayVariable] = "200",
        };
        var tuned = HttpTuning.Apply(Defaults, env.GetValueOrDefault);
        tuned.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(2));
        tuned.RequestTimeout.Should().Be(TimeSpan.FromMilliseconds(1500));
        tuned.MaxAttempts.Should().Be(3);
        tuned.RetryBaseDelay.Should().Be(TimeSpan.FromMilliseconds(50));
        tuned.RetryMaxDelay.Should().Be(TimeSpan.FromMilliseconds(200));
        tuned.Password.Should().Be("pw");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("ten")]
    [InlineData("99999999999")]
    public void A_value_that_is_not_a_whole_number_is_an_error_naming_the_variable(string value)
    {
        var act = () => HttpTuning.Apply(Defaults, name => name == HttpTuning.AttemptsVariable ? value : null);
        act.Should().Throw<ToolError>()
            .Which.Message.Should().Be($"environment variable {HttpTuning.AttemptsVariable} must be a whole number, not \"{value}\"");
    }
}
