using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>Global account data (client-server API, "Client Config").</summary>
public sealed class AccountDataTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Account_data_is_stored_replaced_and_private(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("quinn" + provider.ToString().ToLowerInvariant());
        var (other, otherToken) = await server.CreateUserAsync("ruth" + provider.ToString().ToLowerInvariant());
        var path = $"/_matrix/client/v3/user/{user}/account_data/org.example.settings";

        await server.SendAsync(HttpMethod.Put, path, """{"theme":"dark"}""", token);
        await server.SendAsync(HttpMethod.Put, path, """{"theme":"light","size":2}""", token);
        var (_, stored) = await server.SendAsync(HttpMethod.Get, path, accessToken: token);
        var (missing, missingBody) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/user/{user}/account_data/org.example.none", accessToken: token);
        var (foreignRead, foreignReadBody) = await server.SendAsync(HttpMethod.Get, path, accessToken: otherToken);
        var (foreignWrite, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/user/{other}/account_data/x.y", "{}", token);
        var (managed, managedBody) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/user/{user}/account_data/m.push_rules", "{}", token);
        var (notObject, notObjectBody) = await server.SendAsync(HttpMethod.Put, path, "[1,2]", token);
        var (blank, blankBody) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/user/{user}/account_data/%20", "{}", token);

        Assert.Equal("""{"theme":"light","size":2}""", stored!.ToJsonString());
        Assert.Equal((HttpStatusCode.NotFound, "M_NOT_FOUND"), (missing.StatusCode, (string?)missingBody!["errcode"]));
        Assert.Equal((HttpStatusCode.Forbidden, "M_FORBIDDEN"), (foreignRead.StatusCode, (string?)foreignReadBody!["errcode"]));
        Assert.Equal(HttpStatusCode.Forbidden, foreignWrite.StatusCode);
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "M_BAD_JSON"), (managed.StatusCode, (string?)managedBody!["errcode"]));
        Assert.Equal((HttpStatusCode.BadRequest, "M_BAD_JSON"), (notObject.StatusCode, (string?)notObjectBody!["errcode"]));
        Assert.Equal((HttpStatusCode.BadRequest, "M_INVALID_PARAM"), (blank.StatusCode, (string?)blankBody!["errcode"]));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Concurrent_writes_of_one_type_leave_exactly_one_value(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (user, token) = await server.CreateUserAsync("sam" + provider.ToString().ToLowerInvariant());
        var path = $"/_matrix/client/v3/user/{user}/account_data/org.example.race";

        var writes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => server.SendAsync(HttpMethod.Put, path, $$"""{"n":{{i}}}""", token)));
        var (_, stored) = await server.SendAsync(HttpMethod.Get, path, accessToken: token);

        Assert.All(writes, w => Assert.Equal(HttpStatusCode.OK, w.Response.StatusCode));
        Assert.InRange((int)stored!["n"]!, 0, 5);
    }
}
