using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Signing;

namespace Homeserver.Federation.Client;

/// <summary>
/// Outbound server-server requests: the destination resolved by <see cref="ServerResolver"/>, the request signed
/// with this server's key (X-Matrix), connections pooled per host by one shared handler.
/// </summary>
public sealed class FederationHttpClient(HttpClient http, ServerResolver resolver, ServerIdentity server, SigningKey key) : IFederationClient
{
    public async Task<JsonNode?> SendAsync(HttpMethod method, string destination, string pathAndQuery, JsonNode? body, CancellationToken cancellationToken)
    {
        // Read whole by the HttpClient, so that its response size limit and timeout cover the body too.
        using var response = await SendCoreAsync(method, destination, pathAndQuery, body, "application/json", HttpCompletionOption.ResponseContentRead,
            cancellationToken);
        var text = await ReadAsync(destination, () => response.Content.ReadAsStringAsync(cancellationToken), cancellationToken);
        var json = ParseOrNull(text);
        if (!response.IsSuccessStatusCode)
        {
            throw new FederationException(destination, (int)response.StatusCode, StringOrNull(json?["errcode"]),
                StringOrNull(json?["error"]) ?? $"answered {(int)response.StatusCode}");
        }

        if (json is null && text.Length > 0)
        {
            throw new FederationException(destination, (int)response.StatusCode, null, "answered with a body that is not JSON");
        }

        return json;
    }

    /// <summary>
    /// Sends one signed request and returns the answer as soon as its headers arrive, whatever its status, the body
    /// unread: for answers that are not small JSON (media). The caller disposes it.
    /// </summary>
    /// <param name="accept">The <c>Accept</c> header; null sends none.</param>
    /// <exception cref="FederationException">The destination could not be resolved or reached.</exception>
    public Task<HttpResponseMessage> SendForResponseAsync(HttpMethod method, string destination, string pathAndQuery, JsonNode? body, string? accept,
        CancellationToken cancellationToken) =>
        SendCoreAsync(method, destination, pathAndQuery, body, accept, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string destination, string pathAndQuery, JsonNode? body, string? accept,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        ResolvedServer target;
        try
        {
            target = await resolver.ResolveAsync(destination, cancellationToken);
        }
        catch (FormatException e)
        {
            throw new FederationException(destination, null, null, "not a valid server name", e);
        }

        using var request = new HttpRequestMessage(method, new Uri($"https://{target.Host}:{target.Port}{pathAndQuery}"));
        request.Headers.Host = target.HostHeader;
        var authorization = XMatrixAuthorization.Sign(method.Method, pathAndQuery, server.ServerName, destination, body, key);
        request.Headers.TryAddWithoutValidation("Authorization", authorization.ToHeaderValue());
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await ReadAsync(destination, () => http.SendAsync(request, completion, cancellationToken), cancellationToken);
    }

    /// <summary>Runs one step of talking to <paramref name="destination"/>, its transport failures turned into <see cref="FederationException"/>.</summary>
    private static async Task<T> ReadAsync<T>(string destination, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return await step();
        }
        catch (HttpRequestException e)
        {
            throw new FederationException(destination, null, null, e.Message, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FederationException(destination, null, null, "timed out", e);
        }
    }

    private static string? StringOrNull(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static JsonNode? ParseOrNull(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
