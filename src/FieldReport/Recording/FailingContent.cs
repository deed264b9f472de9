using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;

namespace EsxiImport.FieldReport.Recording;

/// <summary>A body whose reading fails with the failure the recorder met while reading the real one.</summary>
internal sealed class FailingContent : HttpContent
{
    private readonly ExceptionDispatchInfo _failure;

    public FailingContent(Exception failure, HttpContentHeaders headers)
    {
        _failure = ExceptionDispatchInfo.Capture(failure);
        foreach (var header in headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        _failure.Throw();
        return Task.CompletedTask;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
