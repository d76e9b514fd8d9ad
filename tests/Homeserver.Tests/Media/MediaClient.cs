using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Homeserver.Tests.Hosting;

namespace Homeserver.Tests.Media;

/// <summary>Uploads and downloads through a test server's HTTP API, raw bytes in and out.</summary>
internal static class MediaClient
{
    public static async Task<(HttpResponseMessage Response, JsonObject? Body)> UploadAsync(this TestHomeserver server, string token, HttpContent content,
        string? fileName = null, string path = "/_matrix/media/v3/upload", HttpMethod? method = null)
    {
        var uri = fileName is null ? path : $"{path}?filename={Uri.EscapeDataString(fileName)}";
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, uri) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
    }

    /// <summary>Uploads bytes with a content type; returns the mxc:// URI.</summary>
    public static async Task<string> UploadBytesAsync(this TestHomeserver server, string token, byte[] bytes, string contentType, string? fileName = null)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var (response, body) = await server.UploadAsync(token, content, fileName);
        Assert.True(response.IsSuccessStatusCode, $"upload failed: {(int)response.StatusCode} {body}");
        return (string)body!["content_uri"]!;
    }

    /// <summary>GET of a media path; the response is returned unread, for headers and streamed bodies.</summary>
    public static async Task<HttpResponseMessage> GetMediaAsync(this TestHomeserver server, string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The <c>serverName/mediaId</c> part of an mxc:// URI.</summary>
    public static string PathOf(string mxc) => mxc["mxc://".Length..];

    public static async Task<string?> ErrorCodeAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?["errcode"]?.GetValue<string>();
}
