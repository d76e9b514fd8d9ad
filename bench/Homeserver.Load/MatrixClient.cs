using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Homeserver.Load;

/// <summary>The few client-server API calls the scenarios make, against any homeserver.</summary>
internal sealed class MatrixClient(HttpClient http)
{
    /// <summary>Registers a user through user-interactive auth with <c>m.login.dummy</c>; returns the access token.</summary>
    public async Task<string> RegisterAsync(string username, string password, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["username"] = username, ["password"] = password, ["auth"] = new JsonObject { ["type"] = "m.login.dummy" } };
        using var response = await http.PostAsJsonAsync("_matrix/client/v3/register", body, cancellationToken);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Registering {username} failed: {(int)response.StatusCode} {json?.ToJsonString()}");
        }

        return (string)json!["access_token"]!;
    }

    public async Task<JsonObject> PostAsync(string path, string token, JsonObject body, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, path, token, body, cancellationToken);

    public async Task<JsonObject> PutAsync(string path, string token, JsonObject body, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Put, path, token, body, cancellationToken);

    public async Task<JsonObject> GetAsync(string path, string token, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, path, token, null, cancellationToken);

    /// <summary>A GET whose answer is only read, as a document: cheaper than a tree of nodes when answers come by the thousand.</summary>
    public async Task<JsonDocument> GetDocumentAsync(string path, string token, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, path, token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, string token, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return response.IsSuccessStatusCode ? json! : throw new InvalidOperationException($"{method} {path} failed: {(int)response.StatusCode} {json?.ToJsonString()}");
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
