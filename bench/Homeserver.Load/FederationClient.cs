using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Signing;

namespace Homeserver.Load;

/// <summary>Requests of the load generator's own server to the server under test, signed with X-Matrix.</summary>
internal sealed class FederationClient(HttpClient http, string origin, string destination, SigningKey key)
{
    public SignedRequest Sign(HttpMethod method, string relativePath, JsonObject? body)
    {
        // The signature covers the path exactly as it goes on the wire, which is the resolved URI's escaped form.
        var uri = new Uri(http.BaseAddress!, relativePath);
        var authorization = XMatrixAuthorization.Sign(method.Method, uri.PathAndQuery, origin, destination, body, key);
        return new SignedRequest(method, uri, body is null ? null : Encoding.UTF8.GetBytes(body.ToJsonString()), authorization.ToHeaderValue());
    }

    public async Task<JsonObject> SendAsync(SignedRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, request.Uri);
        message.Headers.Host = destination;
        message.Headers.TryAddWithoutValidation("Authorization", request.Authorization);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await http.SendAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode && JsonNode.Parse(text) is JsonObject json
            ? json
            : throw new InvalidOperationException($"{request.Method} {request.Uri.PathAndQuery} failed: {(int)response.StatusCode} {text}");
    }

    public Task<JsonObject> SendAsync(HttpMethod method, string relativePath, JsonObject? body, CancellationToken cancellationToken) =>
        SendAsync(Sign(method, relativePath, body), cancellationToken);

    /// <summary>A client for loopback servers whose certificates are self-signed.</summary>
    public static HttpClient CreateHttpClient(string baseUrl)
    {
#pragma warning disable CA5359 // The servers under test are on loopback with certificates generated at their start.
        var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
#pragma warning restore CA5359
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) };
    }
}
