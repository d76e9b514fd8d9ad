using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Signing;
using Homeserver.Tests.Hosting;

namespace Homeserver.Tests.Federation;

/// <summary>Server-server requests made by a test in one server's name, signed with that server's own key.</summary>
internal static class SignedRequests
{
    public static Task<(int Status, JsonObject? Body)> SendAsync(TestHomeserver from, TestHomeserver to, HttpMethod method, string path, JsonNode? body = null) =>
        SendAsync(to, method, path, body, from.ServerName, from.Services.GetRequiredService<SigningKey>(), to.ServerName);

    /// <summary>A signed GET whose answer is returned unread, for bodies that are not JSON (media).</summary>
    public static async Task<HttpResponseMessage> GetRawAsync(TestHomeserver from, TestHomeserver to, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var authorization = XMatrixAuthorization.Sign("GET", path, from.ServerName, to.ServerName, null, from.Services.GetRequiredService<SigningKey>());
        request.Headers.TryAddWithoutValidation("Authorization", authorization.ToHeaderValue());
        return await to.Federation.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public static async Task<(int Status, JsonObject? Body)> SendAsync(
        TestHomeserver to, HttpMethod method, string path, JsonNode? body, string origin, SigningKey key, string destination)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", XMatrixAuthorization.Sign(method.Method, path, origin, destination, body, key).ToHeaderValue());
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await to.Federation.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
    }
}
