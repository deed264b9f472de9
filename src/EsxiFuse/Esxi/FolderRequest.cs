namespace EsxiImport.EsxiFuse.Esxi;

/// <summary>One request to <c>/folder</c>, before authentication headers are added.</summary>
/// <param name="Method">HEAD or GET.</param>
/// <param name="PathAndQuery">Escaped path and query (see <see cref="FolderUrl"/>).</param>
/// <param name="RangeFirst">First byte of a range request, inclusive.</param>
/// <param name="RangeLast">Last byte of a range request, inclusive (upstream sends <c>bytes=a-b</c>).</param>
internal sealed record FolderRequest(HttpMethod Method, string PathAndQuery, long? RangeFirst = null, long? RangeLast = null);
