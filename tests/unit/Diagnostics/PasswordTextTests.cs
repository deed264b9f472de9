using EsxiImport.Diagnostics;

namespace EsxiImport.UnitTests.Diagnostics;

public sealed class PasswordTextTests
{
    [Theory]
    [InlineData("s3cret", "s3cret")]
    [InlineData("s3cret\n", "s3cret")]
    [InlineData("s3cret\r\n", "s3cret")]
    [InlineData("s3cret\n\n", "s3cret\n")]
    [InlineData("s3\rcret\r", "s3\rcret\r")]
    [InlineData("pa:ss wörd\n", "pa:ss wörd")]
    [InlineData("", "")]
    public void Password_files_lose_exactly_one_trailing_newline(string content, string password) =>
        PasswordText.Normalize(content).Should().Be(password);

    [Fact]
    public void A_missing_text_is_refused()
    {
        var act = () => PasswordText.Normalize(null!);

        act.Should().Throw<ArgumentNullException>();
    }
}
