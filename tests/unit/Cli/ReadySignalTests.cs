using System.IO.Pipes;
using System.Text;

using EsxiImport.EsxiFuse.Os;
using EsxiImport.EsxiFuse.Startup;
using EsxiImport.Fuse.Native;

namespace EsxiImport.UnitTests.Cli;

/// <summary>Ready-fd behaviour on real pipes: fds made with dup at free numbers, so the test owns every copy and touches no other test's.</summary>
public sealed class ReadySignalTests
{
    private static (AnonymousPipeServerStream Reader, int WriteFd) NewPipe()
    {
        var reader = new AnonymousPipeServerStream(PipeDirection.In);
        var writeFd = FreeDescriptor.Dup((int)reader.ClientSafePipeHandle.DangerousGetHandle());
        reader.DisposeLocalCopyOfClientHandle();
        return (reader, writeFd);
    }

    private static string ReadAll(Stream s)
    {
        var task = Task.Run(() => new StreamReader(s, Encoding.UTF8).ReadToEnd());
        task.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the reader must see EOF");
        return task.Result;
    }

    [Fact]
    public void Success_closes_the_fd_without_data()
    {
        var (reader, fd) = NewPipe();
        using (reader)
        {
            new ReadySignal(fd, []).Succeed().Should().BeNull();
            ReadAll(reader).Should().BeEmpty();
        }
    }

    [Fact]
    public void Failure_writes_one_error_line_then_closes()
    {
        var (reader, fd) = NewPipe();
        using (reader)
        {
            new ReadySignal(fd, []).Fail("ERROR: a: b\n");
            ReadAll(reader).Should().Be("ERROR: a: b\n");
        }
    }

    [Fact]
    public void A_stream_sharing_the_ready_pipe_is_moved_to_dev_null_so_the_reader_sees_eof()
    {
        var (reader, fd) = NewPipe();
        var fakeStderr = FreeDescriptor.Dup(fd);
        var (other, unrelated) = NewPipe();
        using (reader)
        using (other)
        {
            ReadySignal.SameOpenFile(fakeStderr, fd).Should().BeTrue();
            ReadySignal.SameOpenFile(unrelated, fd).Should().BeFalse();
            var signal = new ReadySignal(fd, [unrelated, fakeStderr]);
            signal.StderrIsReadyPipe.Should().BeTrue();
            signal.Succeed();
            signal.ReleasedStdStreams.Should().BeTrue();
            ReadAll(reader).Should().BeEmpty();
            new FileInfo($"/proc/self/fd/{fakeStderr}").LinkTarget.Should().Be("/dev/null");
            LibC.Close(fakeStderr);
            LibC.Close(unrelated);
        }
    }

    [Fact]
    public void Every_other_write_copy_of_the_pipe_is_moved_too_as_the_runtime_dups_stderr_for_console_error()
    {
        var (reader, fd) = NewPipe();
        var fakeStderr = FreeDescriptor.Dup(fd);
        var runtimeCopy = FreeDescriptor.Dup(fd);
        using (reader)
        {
            var signal = new ReadySignal(fd, [fakeStderr]);
            signal.Succeed();
            ReadAll(reader).Should().BeEmpty();
            new FileInfo($"/proc/self/fd/{runtimeCopy}").LinkTarget.Should().Be("/dev/null");
            LibC.Close(fakeStderr);
            LibC.Close(runtimeCopy);
        }
    }

    [Fact]
    public void Without_a_ready_fd_nothing_happens()
    {
        var signal = new ReadySignal(null, []);
        signal.Succeed().Should().BeNull();
        signal.Fail("ERROR: x\n");
        signal.StderrIsReadyPipe.Should().BeFalse();
    }

    [Fact]
    public void At_ready_stdin_stdout_and_stderr_and_every_copy_of_them_point_to_dev_null()
    {
        // Pipes standing for a caller's capture: out=$(tool …) holds the read end of stdout.
        var (stdoutReader, stdout) = NewPipe();
        var (stderrReader, stderr) = NewPipe();
        using var stdinWriter = new AnonymousPipeServerStream(PipeDirection.Out);
        var stdin = FreeDescriptor.Dup((int)stdinWriter.ClientSafePipeHandle.DangerousGetHandle());
        stdinWriter.DisposeLocalCopyOfClientHandle();
        var stdoutCopy = FreeDescriptor.Dup(stdout);
        var stdinCopy = FreeDescriptor.Dup(stdin);
        using (stdoutReader)
        using (stderrReader)
        {
            var signal = new ReadySignal(null, [stdin, stdout, stderr]);
            signal.Succeed().Should().BeNull();
            signal.ReleasedStdStreams.Should().BeTrue();
            ReadAll(stdoutReader).Should().BeEmpty("no copy of stdout is left to hold the capture");
            ReadAll(stderrReader).Should().BeEmpty();
            foreach (var fd in new[] { stdin, stdout, stderr, stdoutCopy, stdinCopy })
            {
                new FileInfo($"/proc/self/fd/{fd}").LinkTarget.Should().Be("/dev/null");
                LibC.Close(fd);
            }
        }
    }

    [Fact]
    public void Streams_already_on_dev_null_are_left_as_they_are()
    {
        var devNull = LibC.Open("/dev/null", 1);
        var signal = new ReadySignal(null, [devNull]);
        signal.Succeed();
        signal.ReleasedStdStreams.Should().BeFalse();
        LibC.Close(devNull);
    }
}
