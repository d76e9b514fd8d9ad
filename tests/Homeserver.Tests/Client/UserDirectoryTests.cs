using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>The user directory (client-server API, "User directory").</summary>
public sealed class UserDirectoryTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task With_search_all_users_local_users_are_found_by_id_or_display_name_in_any_case(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:UserDirectory:SearchAllUsers=true");
        var (victor, token) = await server.CreateUserAsync("victor");
        var (wendy, wendyToken) = await server.CreateUserAsync("wendy");
        await server.CreateUserAsync("xavier_100");
        await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/profile/{wendy}/displayname", """{"displayname":"Wendy Victoria"}""", wendyToken);

        var (_, byName) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/user_directory/search", """{"search_term":"VICT"}""", token);
        var (_, limited) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/user_directory/search", """{"search_term":"i","limit":1}""", token);
        var (_, wildcard) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/user_directory/search", """{"search_term":"_1"}""", token);
        var (_, percent) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/user_directory/search", """{"search_term":"%"}""", token);

        Assert.Equal([victor, wendy], byName!["results"]!.AsArray().Select(r => (string)r!["user_id"]!));
        Assert.Equal("Wendy Victoria", (string?)byName["results"]![1]!["display_name"]);
        Assert.False((bool)byName["limited"]!);
        Assert.Single(limited!["results"]!.AsArray());
        Assert.True((bool)limited["limited"]!);
        Assert.Equal(["@xavier_100:localhost"], wildcard!["results"]!.AsArray().Select(r => (string)r!["user_id"]!));
        Assert.Empty(percent!["results"]!.AsArray());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task By_default_no_one_outside_shared_rooms_is_shown_and_bad_requests_are_refused(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider);
        var (_, token) = await server.CreateUserAsync("yara");
        await server.CreateUserAsync("zed");

        var (response, body) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/user_directory/search", """{"search_term":"zed"}""", token);
        var (missing, missingBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/user_directory/search", "{}", token);
        var (negative, negativeBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/user_directory/search", """{"search_term":"z","limit":-1}""", token);
        var (anonymous, _) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/user_directory/search", """{"search_term":"zed"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(body!["results"]!.AsArray());
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), (missing.StatusCode, (string?)missingBody!["errcode"]));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), (negative.StatusCode, (string?)negativeBody!["errcode"]));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
