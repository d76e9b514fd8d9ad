using System.Net.Http.Json;
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
}
