using System.Xml;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace EsxiImport.Emulator.Faults;

/// <summary>
/// Finds the vim25 method of an /sdk request without consuming the body: the local name of the
/// first element child of <c>{http://schemas.xmlsoap.org/soap/envelope/}Body</c>, found by
/// namespace (clients use different prefixes). The body is buffered and rewound for the handler.
/// </summary>
internal static class SoapMethodPeek
{
    private const string EnvelopeNs = "http://schemas.xmlsoap.org/soap/envelope/";

    public static async Task<string?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        try
        {
            // Drain once so the whole body is in the buffer; the XML reader then reads it synchronously from memory or the buffer file.
            await request.Body.DrainAsync(ct).ConfigureAwait(false);
            request.Body.Position = 0;
            using var reader = XmlReader.Create(request.Body, new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                CloseInput = false,
                Async = true,
            });
            var inBody = false;
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (inBody)
                {
                    return reader.LocalName;
                }

                inBody = reader.LocalName == "Body" && reader.NamespaceURI == EnvelopeNs;
            }

            return null;
        }
        catch (XmlException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
