using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

public sealed class FilterAndCapabilityTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Filters_are_stored_per_user_with_increasing_ids_and_read_back(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("max" + provider.ToString().ToLowerInvariant());
        const string Filter = """{"room":{"timeline":{"limit":10,"types":["m.room.message"]},"state":{"lazy_load_members":true}},"event_format":"client","presence":{"not_types":["*"]}}""";

        var ids = new List<string>();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            var (created, body) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/user/{user}/filter", Filter, token);
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            ids.Add((string)body!["filter_id"]!);
        }

        var (_, stored) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/user/{user}/filter/{ids[1]}", accessToken: token);

        Assert.Equal(["0", "1", "2"], ids);
        Assert.Equal(10, (int)stored!["room"]!["timeline"]!["limit"]!);
        Assert.Equal("m.room.message", (string?)stored["room"]!["timeline"]!["types"]![0]);
        Assert.True((bool)stored["room"]!["state"]!["lazy_load_members"]!);
        Assert.Equal("*", (string?)stored["presence"]!["not_types"]![0]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Users_with_the_same_filter_id_each_read_their_own_filter(DatabaseProvider provider)
    {
        var server = servers[provider];
        var suffix = provider.ToString().ToLowerInvariant();
        var (first, firstToken) = await server.CreateUserAsync("ida" + suffix);
        var (second, secondToken) = await server.CreateUserAsync("ivo" + suffix);

        // Read back once each, so that a parsed copy is kept before the other user's filter 0 exists.
        var (_, created) = await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/user/{first}/filter", """{"room":{"timeline":{"limit":3}}}""", firstToken);
        var (_, firstRead) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/user/{first}/filter/0", accessToken: firstToken);
        await server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/user/{second}/filter", """{"room":{"timeline":{"limit":7}}}""", secondToken);
        var (_, secondRead) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/user/{second}/filter/0", accessToken: secondToken);
        var (_, firstAgain) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/user/{first}/filter/0", accessToken: firstToken);

        Assert.Equal("0", (string?)created!["filter_id"]);
        Assert.Equal(3, (int)firstRead!["room"]!["timeline"]!["limit"]!);
        Assert.Equal(7, (int)secondRead!["room"]!["timeline"]!["limit"]!);
        Assert.Equal(3, (int)firstAgain!["room"]!["timeline"]!["limit"]!);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Concurrent_filter_uploads_get_distinct_ids(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("ned" + provider.ToString().ToLowerInvariant());

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.SendAsync(HttpMethod.Post, $"/_matrix/client/v3/user/{user}/filter", "{}", token)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.Equal(6, responses.Select(r => (string)r.Body!["filter_id"]!).Distinct().Count());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_filters_and_other_users_filters_get_the_spec_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("ola" + provider.ToString().ToLowerInvariant());

        async Task<(HttpStatusCode, string?)> Send(HttpMethod method, string path, string? body = null)
        {
            var (response, json) = await server.SendAsync(method, path, body, token);
            return (response.StatusCode, (string?)json?["errcode"]);
        }

        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), await Send(HttpMethod.Post, $"/_matrix/client/v3/user/{user}/filter", """{"room":{"timeline":{"limit":"ten"}}}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), await Send(HttpMethod.Post, $"/_matrix/client/v3/user/{user}/filter", """{"event_format":"xml"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), await Send(HttpMethod.Post, $"/_matrix/client/v3/user/{user}/filter", """{"room":{"state":{"limit":-1}}}"""));
        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), await Send(HttpMethod.Post, "/_matrix/client/v3/user/@someone:localhost/filter", "{}"));
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Send(HttpMethod.Get, $"/_matrix/client/v3/user/{user}/filter/999"));
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), await Send(HttpMethod.Get, $"/_matrix/client/v3/user/{user}/filter/abc"));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Capabilities_list_every_room_version_and_the_default(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync("pia" + provider.ToString().ToLowerInvariant());

        var (response, body) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/capabilities", accessToken: token);
        var versions = body!["capabilities"]!["m.room_versions"]!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("11", (string?)versions["default"]);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), versions["available"]!.AsObject().Select(v => v.Key));
        Assert.True((bool)body["capabilities"]!["m.change_password"]!["enabled"]!);
    }
}
