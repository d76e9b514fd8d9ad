using System.Net;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

public sealed class ClosedRegistrationTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Registration_is_closed_by_default(DatabaseProvider provider)
    {
        var (response, body) = await servers[provider].SendAsync(HttpMethod.Post, "/_matrix/client/v3/register",
            """{"username":"mallory","auth":{"type":"m.login.dummy"}}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("M_FORBIDDEN", (string?)body!["errcode"]);
    }
}
