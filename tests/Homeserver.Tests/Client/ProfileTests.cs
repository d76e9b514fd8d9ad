using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>Profiles (client-server API, "Profiles").</summary>
public sealed class ProfileTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Fields_are_set_read_and_deleted_by_their_owner(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("jo" + provider.ToString().ToLowerInvariant());

        await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{user}/displayname", """{"displayname":"Jo Ann"}""", token);
        await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{user}/avatar_url", """{"avatar_url":"mxc://localhost/abc"}""", token);
        await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{user}/org.example.pets", """{"org.example.pets":["cat",{"name":"rex"}]}""", token);
        var (_, profile) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/profile/{user}");
        var (_, name) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/profile/{user}/displayname");
        await server.SendAsync(HttpMethod.Delete, $"/_matrix/client/v3/profile/{user}/avatar_url", accessToken: token);
        var (gone, goneBody) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/profile/{user}/avatar_url");
        var (legacy, legacyBody) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/r0/profile/{user}/displayname");

        Assert.Equal("Jo Ann", (string?)profile!["displayname"]);
        Assert.Equal("mxc://localhost/abc", (string?)profile["avatar_url"]);
        Assert.Equal("""["cat",{"name":"rex"}]""", profile["org.example.pets"]!.ToJsonString());
        Assert.Equal("""{"displayname":"Jo Ann"}""", name!.ToJsonString());
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), (gone.StatusCode, (string?)goneBody!["errcode"]));
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        Assert.Equal("Jo Ann", (string?)legacyBody!["displayname"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_profile_writes_get_the_spec_errors(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("kim" + provider.ToString().ToLowerInvariant());
        var (other, _) = await server.CreateUserAsync("lee" + provider.ToString().ToLowerInvariant());

        async Task<(HttpStatusCode, string?)> Put(string path, string body, string? accessToken = null)
        {
            var (response, json) = await server.SendAsync(HttpMethod.Put, path, body, accessToken ?? token);
            return (response.StatusCode, (string?)json?["errcode"]);
        }

        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), await Put($"/_matrix/client/v3/profile/{other}/displayname", """{"displayname":"x"}"""));
        var (anonymous, anonymousBody) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{user}/displayname", """{"displayname":"x"}""");
        Assert.Equal((HttpStatusCode.Unauthorized, "M_MISSING_TOKEN"), (anonymous.StatusCode, (string?)anonymousBody!["errcode"]));
        Assert.Equal((HttpStatusCode.BadRequest, "M_MISSING_PARAM"), await Put($"/_matrix/client/v3/profile/{user}/displayname", """{"avatar_url":"mxc://a/b"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), await Put($"/_matrix/client/v3/profile/{user}/displayname", """{"displayname":5}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), await Put($"/_matrix/client/v3/profile/{user}/displayname", """{"displayname":"a","extra":1}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Put($"/_matrix/client/v3/profile/{user}/avatar_url", """{"avatar_url":"https://example.org/a.png"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), await Put($"/_matrix/client/v3/profile/{user}/NotNamespaced", """{"NotNamespaced":1}"""));
        var longKey = "org." + new string('a', 260);
        Assert.Equal((HttpStatusCode.BadRequest, "M_KEY_TOO_LARGE"), await Put($"/_matrix/client/v3/profile/{user}/{longKey}", $$"""{"{{longKey}}":1}"""));
        var big = new string('x', 40_000);
        Assert.Equal((HttpStatusCode.OK, null), await Put($"/_matrix/client/v3/profile/{user}/org.example.one", $$"""{"org.example.one":"{{big}}"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "M_PROFILE_TOO_LARGE"), await Put($"/_matrix/client/v3/profile/{user}/org.example.two", $$"""{"org.example.two":"{{big}}"}"""));
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/profile/@nobody:localhost")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.SendAsync(HttpMethod.Get, "/_matrix/client/v3/profile/not-a-user")).Response.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_new_display_name_and_avatar_reach_the_member_event_of_every_joined_room(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("roomy" + provider.ToString().ToLowerInvariant());
        var rooms = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, created) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/createRoom", "{}", token);
            rooms.Add((string)created!["room_id"]!);
        }

        await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{user}/displayname", """{"displayname":"Roomy"}""", token);
        await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{user}/avatar_url", """{"avatar_url":"mxc://localhost/face"}""", token);
        await server.SendAsync(HttpMethod.Delete, $"/_matrix/client/v3/profile/{user}/avatar_url", accessToken: token);

        foreach (var roomId in rooms)
        {
            var (_, member) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/state/m.room.member/{user}", accessToken: token);
            var (_, history) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/rooms/{roomId}/messages?dir=b&limit=3", accessToken: token);
            Assert.Equal("Roomy", (string?)member!["displayname"]);
            Assert.Equal("join", (string?)member["membership"]);
            Assert.Null(member["avatar_url"]);
            Assert.Equal("mxc://localhost/face", (string?)history!["chunk"]![1]!["content"]!["avatar_url"]);
        }
    }
}
