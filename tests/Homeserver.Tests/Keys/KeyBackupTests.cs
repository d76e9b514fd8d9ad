using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using static Homeserver.Tests.Keys.KeysTestData;

namespace Homeserver.Tests.Keys;

/// <summary>Server-side key backups: versions, keys, etag and count, the replacement rule and the version check.</summary>
public sealed class KeyBackupTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    private const string Version = "/_matrix/client/v3/room_keys/version";
    private const string Keys = "/_matrix/client/v3/room_keys/keys";
    private const string Room = "!room:localhost";
    private const string Algorithm = "m.megolm_backup.v1.curve25519-aes-sha2";

    [Theory]
    [OnEveryDatabase]
    public async Task Keys_are_stored_in_the_current_version_and_replaced_only_by_better_ones(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("bkquinn", provider), Password, "QUINNDEV");
        Task<(HttpResponseMessage Response, JsonObject? Body)> Send(HttpMethod method, string path, string? body = null) => server.SendAsync(method, path, body, token);

        var noBackup = await Send(HttpMethod.Get, Version);
        var (_, created) = await Send(HttpMethod.Post, Version, $$$$"""{"algorithm":"{{{{Algorithm}}}}","auth_data":{"public_key":"abc"}}""");
        var version = (string)created!["version"]!;
        var room = Uri.EscapeDataString(Room);
        var (_, put) = await Send(HttpMethod.Put, $"{Keys}/{room}/s1?version={version}", Data(firstIndex: 5, forwarded: 1, verified: false, "first"));
        var (_, worse) = await Send(HttpMethod.Put, $"{Keys}/{room}/s1?version={version}", Data(firstIndex: 6, forwarded: 0, verified: false, "worse"));
        var (_, better) = await Send(HttpMethod.Put, $"{Keys}/{room}/s1?version={version}", Data(firstIndex: 9, forwarded: 9, verified: true, "verified"));
        var (_, bulk) = await Send(HttpMethod.Put, $"{Keys}?version={version}",
            $$"""{"rooms":{"{{Room}}":{"sessions":{"s2":{{Data(0, 0, false, "two")}},"s1":{{Data(0, 0, false, "unverified")}} } } } }""");
        var (_, info) = await Send(HttpMethod.Get, $"{Version}/{version}");
        var (_, session) = await Send(HttpMethod.Get, $"{Keys}/{room}/s1?version={version}");
        var (_, all) = await Send(HttpMethod.Get, $"{Keys}?version={version}");
        var (_, emptyRoom) = await Send(HttpMethod.Get, $"{Keys}/{Uri.EscapeDataString("!other:localhost")}?version={version}");
        var missingSession = await Send(HttpMethod.Get, $"{Keys}/{room}/nope?version={version}");
        var (_, afterDelete) = await Send(HttpMethod.Delete, $"{Keys}/{room}/s2?version={version}");

        AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND", noBackup);
        Assert.Equal(1, (long)put!["count"]!);
        Assert.Equal(put["etag"]!.ToString(), worse!["etag"]!.ToString());
        Assert.NotEqual(worse["etag"]!.ToString(), better!["etag"]!.ToString());
        Assert.Equal(2, (long)bulk!["count"]!);
        Assert.Equal((2L, bulk["etag"]!.ToString(), Algorithm, "abc"), ((long)info!["count"]!, info["etag"]!.ToString(), (string)info["algorithm"]!, (string)info["auth_data"]!["public_key"]!));
        Assert.Equal(("verified", true), ((string)session!["session_data"]!["v"]!, (bool)session["is_verified"]!));
        Assert.Equal(["s1", "s2"], all!["rooms"]![Room]!["sessions"]!.AsObject().Select(s => s.Key));
        Assert.Empty(emptyRoom!["sessions"]!.AsObject());
        AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND", missingSession);
        Assert.Equal(1, (long)afterDelete!["count"]!);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Only_the_current_version_takes_keys_and_deleted_versions_are_gone(DatabaseProvider provider)
    {
        var server = servers[provider];
        var (_, token) = await server.CreateUserAsync(Name("bkrose", provider), Password, "ROSEDEV");
        Task<(HttpResponseMessage Response, JsonObject? Body)> Send(HttpMethod method, string path, string? body = null) => server.SendAsync(method, path, body, token);
        var create = $$$$"""{"algorithm":"{{{{Algorithm}}}}","auth_data":{"public_key":"k"}}""";
        var room = Uri.EscapeDataString(Room);

        var first = (string)(await Send(HttpMethod.Post, Version, create)).Body!["version"]!;
        var second = (string)(await Send(HttpMethod.Post, Version, create)).Body!["version"]!;
        var wrong = await Send(HttpMethod.Put, $"{Keys}/{room}/s?version={first}", Data(0, 0, false, "x"));
        var (updated, _) = await Send(HttpMethod.Put, $"{Version}/{second}", $$$$"""{"algorithm":"{{{{Algorithm}}}}","auth_data":{"public_key":"new"},"version":"{{{{second}}}}"}""");
        var changedAlgorithm = await Send(HttpMethod.Put, $"{Version}/{second}", """{"algorithm":"other","auth_data":{}}""");
        var mismatchedVersion = await Send(HttpMethod.Put, $"{Version}/{second}", $$$$"""{"algorithm":"{{{{Algorithm}}}}","auth_data":{},"version":"{{{{first}}}}"}""");
        var (_, current) = await Send(HttpMethod.Get, Version);
        var (deleted, _) = await Send(HttpMethod.Delete, $"{Version}/{second}");
        var (deletedAgain, _) = await Send(HttpMethod.Delete, $"{Version}/{second}");
        var (_, currentAfter) = await Send(HttpMethod.Get, Version);
        var gone = await Send(HttpMethod.Get, $"{Version}/{second}");
        var never = await Send(HttpMethod.Delete, $"{Version}/999");
        var notANumber = await Send(HttpMethod.Get, $"{Version}/latest");
        var noVersion = await Send(HttpMethod.Put, $"{Keys}/{room}/s", Data(0, 0, false, "x"));
        var badRoom = await Send(HttpMethod.Put, $"{Keys}/not-a-room/s?version={first}", Data(0, 0, false, "x"));
        var badShape = await Send(HttpMethod.Put, $"{Keys}/{room}/s?version={first}", """{"first_message_index":"zero"}""");
        var badRooms = await Send(HttpMethod.Put, $"{Keys}?version={first}", """{"rooms":{"!r:localhost":null}}""");

        AssertError(HttpStatusCode.Forbidden, "M_WRONG_ROOM_KEYS_VERSION", wrong);
        Assert.Equal(second, (string?)wrong.Body!["current_version"]);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", changedAlgorithm);
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", mismatchedVersion);
        Assert.Equal((second, "new"), ((string)current!["version"]!, (string)current["auth_data"]!["public_key"]!));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deletedAgain.StatusCode);
        Assert.Equal(first, (string?)currentAfter!["version"]);
        AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND", gone);
        AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND", never);
        AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND", notANumber);
        AssertError(HttpStatusCode.BadRequest, "M_MISSING_PARAM", noVersion);
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", badRoom);
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", badShape);
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", badRooms);
    }

    private static string Data(long firstIndex, long forwarded, bool verified, string marker) =>
        new JsonObject
        {
            ["first_message_index"] = firstIndex,
            ["forwarded_count"] = forwarded,
            ["is_verified"] = verified,
            ["session_data"] = new JsonObject { ["v"] = marker },
        }.ToJsonString();
}
