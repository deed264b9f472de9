using System.Diagnostics;
using System.IO.Pipes;

using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Cli;
using EsxiImport.EsxiFuse.Os;

namespace EsxiImport.UnitTests.Cli;

/// <summary>Inputs read whole have a size limit and a time limit, on real files, FIFOs and pipes.</summary>
public sealed class BoundedInputTests : IDisposable
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    private readonly string _dir = Directory.CreateTempSubdirectory("esxi-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Fifo()
    {
        var path = Path.Combine(_dir, "fifo");
        using var p = Process.Start("mkfifo", ["-m", "600", path]);
        p.WaitForExit();
        return path;
    }

    [Fact]
    public void A_file_at_the_limit_is_read_and_one_byte_more_is_an_error_naming_input_and_limit()
    {
        var path = Path.Combine(_dir, "pw");
        File.WriteAllBytes(path, new byte[16]);
        BoundedInput.ReadFile(path, "input", 16, Short, CancellationToken.None).Should().HaveCount(16);
        File.WriteAllBytes(path, new byte[17]);
        FluentActions.Invoking(() => BoundedInput.ReadFile(path, "password file \"x\"", 16, Short, CancellationToken.None))
            .Should().Throw<ToolError>().WithMessage("password file \"x\" is larger than the limit of 16 bytes");
    }

    [Fact]
    public void Dev_zero_stops_at_the_limit_at_once()
    {
        var clock = Stopwatch.StartNew();
        var e = FluentActions.Invoking(() => BoundedInput.ReadFile("/dev/zero", "manifest \"/dev/zero\"", BoundedInput.ManifestLimit, BoundedInput.DefaultWait, CancellationToken.None))
            .Should().Throw<ToolError>().Which;
        e.Message.Should().Be("manifest \"/dev/zero\" is larger than the limit of 67108864 bytes");
        BoundedInput.IsLimit(e).Should().BeTrue();
        clock.Elapsed.Should().BeLessThan(BoundedInput.DefaultWait, "the size limit ends the read, not the time limit");
    }

    [Fact]
    public void A_fifo_nobody_writes_to_ends_after_the_wait()
    {
        var e = FluentActions.Invoking(() => BoundedInput.ReadFile(Fifo(), "password file \"f\"", BoundedInput.SecretLimit, Short, CancellationToken.None))
            .Should().Throw<ToolError>().Which;
        e.Message.Should().Be("password file \"f\" gave no end of data within 0.3 s (a pipe or FIFO nobody writes to?)");
        e.Kind.Should().Be(ErrorKind.Timeout);
    }

    [Fact]
    public async Task A_fifo_whose_writer_comes_later_is_read_to_its_end()
    {
        var fifo = Fifo();
        var read = Task.Run(() => BoundedInput.ReadFile(fifo, "f", 100, TimeSpan.FromSeconds(20), CancellationToken.None));
        await Task.Delay(200);
        await File.WriteAllTextAsync(fifo, "secret\n");
        (await read).Should().Equal("secret\n"u8.ToArray());
    }

    [Fact]
    public async Task A_cancelled_wait_ends_at_once()
    {
        using var cts = new CancellationTokenSource();
        var fifo = Fifo();
        var read = Task.Run(() => BoundedInput.ReadFile(fifo, "f", 100, TimeSpan.FromSeconds(20), cts.Token));
        await Task.Delay(200);
        await cts.CancelAsync();
        await FluentActions.Awaiting(() => read.WaitAsync(TimeSpan.FromSeconds(5))).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void A_password_fd_that_stays_open_without_data_ends_after_the_wait()
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        var fd = (int)pipe.ClientSafePipeHandle.DangerousGetHandle();
        FluentActions.Invoking(() => BoundedInput.ReadDescriptor(fd, "password fd 9", 100, Short, CancellationToken.None))
            .Should().Throw<ToolError>().WithMessage("password fd 9 gave no end of data within 0.3 s*");
    }

    [Fact]
    public void Missing_files_and_directories_are_os_errors()
    {
        FluentActions.Invoking(() => BoundedInput.ReadFile(Path.Combine(_dir, "none"), "f", 10, Short, CancellationToken.None))
            .Should().Throw<ToolError>().WithMessage("No such file or directory (os error 2)");
        FluentActions.Invoking(() => BoundedInput.ReadFile(_dir, "f", 10, Short, CancellationToken.None))
            .Should().Throw<ToolError>().WithMessage("Is a directory (os error 21)");
    }

    [Fact]
    public void A_password_file_over_the_limit_is_an_argument_error_naming_the_file()
    {
        FluentActions.Invoking(() => ArgumentParser.Parse(["--password-file", "/dev/zero", "h", "m", "p"]))
            .Should().Throw<ToolError>().WithMessage("password file \"/dev/zero\" is larger than the limit of 4096 bytes");
        var user = Path.Combine(_dir, "user");
        File.WriteAllText(user, "root\n" + new string('x', 5000));
        FluentActions.Invoking(() => ArgumentParser.Parse(["--user-file", user, "h", "m", "p"]))
            .Should().Throw<ToolError>().WithMessage($"user file \"{user}\" is larger than the limit of 4096 bytes");
    }
}
