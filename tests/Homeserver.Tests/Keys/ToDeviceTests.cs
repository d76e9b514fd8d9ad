using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Core.Keys;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using static Homeserver.Tests.Keys.KeysTestData;

namespace Homeserver.Tests.Keys;

/// <summary><c>/sendToDevice</c> and the inbox that <c>/sync</c> reads through <see cref="KeysSyncSource"/>.</summary>
public sealed class ToDeviceTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    [Theory]
    [OnEveryDatabase]
    public async Task Messages_reach_every_or_the_named_devices_once_per_transaction_and_are_deleted_when_acknowledged(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (sender, senderToken) = await server.CreateUserAsync(Name("tsender", provider), Password, "SENDDEV");
        var (mia, _) = await server.CreateUserAsync(Name("tmia", provider), Password, "MIAONE");
        await server.LoginAsync(mia, Password, "MIATWO");
        var (ned, _) = await server.CreateUserAsync(Name("tned", provider), Password, "NEDONE");
        var positions = server.Services.GetRequiredService<StreamPositions>();
        var before = positions.Published(StreamName.ToDevice);

        var body = $$$$"""
            {"messages":{
              "{{{{mia}}}}":{"*":{"n":1}},
              "{{{{ned}}}}":{"NEDONE":{"n":2},"NOSUCHDEVICE":{"n":3}},
              "@far:remote.example":{"*":{"n":4}},
              "@ghost:localhost":{"*":{"n":5} } } }
            """;
        var (sent, _) = await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/txn1", body, senderToken);
        var afterFirst = positions.Published(StreamName.ToDevice);
        var (retried, _) = await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/txn1", body, senderToken);
        var afterRetry = positions.Published(StreamName.ToDevice);

        await using var scope = server.Services.CreateAsyncScope();
        var sync = scope.ServiceProvider.GetRequiredService<KeysSyncSource>();
        var miaOne = await sync.ToDeviceAsync(mia, "MIAONE", before, afterRetry, 100, CancellationToken.None);
        var miaTwo = await sync.ToDeviceAsync(mia, "MIATWO", before, afterRetry, 100, CancellationToken.None);
        var nedOne = await sync.ToDeviceAsync(ned, "NEDONE", before, afterRetry, 100, CancellationToken.None);
        await sync.DeleteToDeviceUpToAsync(mia, "MIAONE", miaOne.Position, CancellationToken.None);
        var miaOneAgain = await sync.ToDeviceAsync(mia, "MIAONE", before, afterRetry, 100, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(before + 3, afterFirst);
        Assert.Equal(afterFirst, afterRetry);
        var message = Assert.Single(miaOne.Events);
        Assert.Equal((sender, "m.test", 1), ((string)message["sender"]!, (string)message["type"]!, (int)message["content"]!["n"]!));
        Assert.Single(miaTwo.Events);
        Assert.Equal(2, (int)Assert.Single(nedOne.Events)["content"]!["n"]!);
        Assert.Equal(afterRetry, miaOne.Position);
        Assert.Empty(miaOneAgain.Events);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task A_limited_batch_stops_at_its_last_message(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (olga, token) = await server.CreateUserAsync(Name("tolga", provider), Password, "OLGADEV");
        var positions = server.Services.GetRequiredService<StreamPositions>();
        var before = positions.Published(StreamName.ToDevice);
        for (var i = 0; i < 3; i++)
        {
            var (sent, _) = await server.SendAsync(HttpMethod.Put, $"/_matrix/client/v3/sendToDevice/m.test/t{i}", $$"""{"messages":{"{{olga}}":{"OLGADEV":{"i":{{i}} } } } }""", token);
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }

        var upTo = positions.Published(StreamName.ToDevice);
        await using var scope = server.Services.CreateAsyncScope();
        var sync = scope.ServiceProvider.GetRequiredService<KeysSyncSource>();
        var first = await sync.ToDeviceAsync(olga, "OLGADEV", before, upTo, 2, CancellationToken.None);
        var rest = await sync.ToDeviceAsync(olga, "OLGADEV", first.Position, upTo, 2, CancellationToken.None);

        Assert.Equal([0, 1], first.Events.Select(e => (int)e["content"]!["i"]!));
        Assert.Equal(before + 2, first.Position);
        Assert.Equal([2], rest.Events.Select(e => (int)e["content"]!["i"]!));
        Assert.Equal(upTo, rest.Position);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Oversized_and_malformed_messages_are_refused(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (pia, token) = await server.CreateUserAsync(Name("tpia", provider), Password, "PIADEV");
        var huge = new JsonObject { ["messages"] = new JsonObject { [pia] = new JsonObject { ["PIADEV"] = new JsonObject { ["x"] = new string('a', 70 * 1024) } } } };

        AssertError(HttpStatusCode.RequestEntityTooLarge, "M_TOO_LARGE",
            await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/big", huge.ToJsonString(), token));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/a", "{}", token));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/b", """{"messages":{"@x:localhost":{"D":"text"}}}""", token));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/c", """{"messages":{"@x:localhost":null}}""", token));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/d", """{"messages":{"@x:localhost":{"D":null}}}""", token));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.test/" + new string('t', 300), """{"messages":{}}""", token));
    }
}
