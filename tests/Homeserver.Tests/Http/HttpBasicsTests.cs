using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Infrastructure;
using Homeserver.Tests.Hosting;

namespace Homeserver.Tests.Http;

/// <summary>The spec's "API standards" on a real server: error responses, CORS, listeners, discovery.</summary>
public sealed class HttpBasicsTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Versions_lists_spec_versions_and_unstable_features(DatabaseProvider provider)
    {
        var (response, body) = await servers[provider].SendAsync(HttpMethod.Get, "/_matrix/client/versions");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.IsType<JsonArray>(body!["versions"]);
        Assert.IsType<JsonObject>(body["unstable_features"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Unknown_endpoint_is_404_M_UNRECOGNIZED(DatabaseProvider provider)
    {
        var (response, body) = await servers[provider].SendAsync(HttpMethod.Get, "/_matrix/client/v3/no/such/endpoint");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("M_UNRECOGNIZED", (string?)body!["errcode"]);
        Assert.False(string.IsNullOrEmpty((string?)body["error"]));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Known_endpoint_with_wrong_method_is_405_M_UNRECOGNIZED(DatabaseProvider provider)
    {
        var (response, body) = await servers[provider].SendAsync(HttpMethod.Delete, "/_matrix/client/versions");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("M_UNRECOGNIZED", (string?)body!["errcode"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Body_that_is_not_json_is_400_M_NOT_JSON(DatabaseProvider provider)
    {
        var (response, body) = await servers[provider].SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", "{\"type\": \"m.login.password\",");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("M_NOT_JSON", (string?)body!["errcode"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Json_of_the_wrong_shape_is_400_M_BAD_JSON(DatabaseProvider provider)
    {
        string[] wrongShapes =
        [
            "{\"type\": 5}",
            "{\"identifier\": {\"type\": \"m.id.user\", \"user\": \"a\"}}",
            "[\"m.login.password\"]",
            "{\"type\": \"m.login.password\", \"password\": [\"x\"]}",
            "{\"type\": \"m.login.password\", \"identifier\": \"alice\"}",
        ];

        foreach (var json in wrongShapes)
        {
            var (response, body) = await servers[provider].SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", json);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("M_BAD_JSON", (string?)body!["errcode"]);
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Cors_headers_are_on_every_response_and_preflight_runs_no_endpoint(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (ok, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/versions");
        var (error, _) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/nothing");
        var (preflight, preflightBody) = await server.SendAsync(HttpMethod.Options, "/_matrix/client/v3/login");

        foreach (var response in new[] { ok, error, preflight })
        {
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("PUT", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
            Assert.Contains("Authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Null(preflightBody);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Federation_api_is_served_only_on_the_federation_listener_over_tls(DatabaseProvider provider)
    {
        var server = servers[provider];

        var onFederation = await server.Federation.GetAsync("/_matrix/federation/v1/version");
        var version = JsonNode.Parse(await onFederation.Content.ReadAsStringAsync())!;
        var (onClient, clientBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/federation/v1/version");
        var clientApiOnFederation = await server.Federation.GetAsync("/_matrix/client/versions");

        Assert.Equal("https", server.Federation.BaseAddress!.Scheme);
        Assert.Equal(HttpStatusCode.OK, onFederation.StatusCode);
        Assert.Equal("Homeserver", (string?)version["server"]!["name"]);
        Assert.False(string.IsNullOrEmpty((string?)version["server"]!["version"]));
        Assert.Equal(HttpStatusCode.NotFound, onClient.StatusCode);
        Assert.Equal("M_UNRECOGNIZED", (string?)clientBody!["errcode"]);
        Assert.Equal(HttpStatusCode.NotFound, clientApiOnFederation.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Well_known_documents_answer_404_when_not_configured(DatabaseProvider provider)
    {
        var (client, clientBody) = await servers[provider].SendAsync(HttpMethod.Get, "/.well-known/matrix/client");
        var (server, serverBody) = await servers[provider].SendAsync(HttpMethod.Get, "/.well-known/matrix/server");

        Assert.Equal(HttpStatusCode.NotFound, client.StatusCode);
        Assert.Equal("M_NOT_FOUND", (string?)clientBody!["errcode"]);
        Assert.Equal(HttpStatusCode.NotFound, server.StatusCode);
        Assert.Equal("M_NOT_FOUND", (string?)serverBody!["errcode"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Health_reports_a_reachable_database(DatabaseProvider provider)
    {
        var response = await servers[provider].Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Legacy_r0_prefix_serves_the_same_endpoint_as_v3(DatabaseProvider provider)
    {
        var (v3, v3Body) = await servers[provider].SendAsync(HttpMethod.Get, "/_matrix/client/v3/login");
        var (r0, r0Body) = await servers[provider].SendAsync(HttpMethod.Get, "/_matrix/client/r0/login");

        Assert.Equal(HttpStatusCode.OK, v3.StatusCode);
        Assert.Equal(HttpStatusCode.OK, r0.StatusCode);
        Assert.Equal(v3Body!.ToJsonString(), r0Body!.ToJsonString());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Json_bodies_are_read_whatever_their_content_type(DatabaseProvider provider)
    {
        var server = servers[provider];
        await server.CreateUserAsync("ct" + provider.ToString().ToLowerInvariant(), "pw");
        var body = $$"""{"type":"m.login.password","user":"ct{{provider.ToString().ToLowerInvariant()}}","password":"pw"}""";

        foreach (var contentType in new[] { "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/_matrix/client/v3/login") { Content = new StringContent(body) };
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            using var response = await server.Client.SendAsync(request);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{contentType}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
