using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Core.DehydratedDevices;
using Homeserver.Core.Keys;
using Homeserver.Core.Sync.Streams;
using Homeserver.Core.ToDevice;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using static Homeserver.Tests.Keys.KeysTestData;

namespace Homeserver.Tests.Keys;

/// <summary>Dehydrated devices (MSC3814): a device of the user without access token, whose inbox a client reads later.</summary>
public sealed class DehydratedDeviceTests(HomeserverFixture servers) : IClassFixture<HomeserverFixture>
{
    private const string Path = "/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device";

    [Theory]
    [OnEveryDatabase]
    public async Task A_dehydrated_device_is_stored_and_its_keys_are_queried_and_claimed_by_other_users(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var alice = await E2eeDevice.CreateAsync(server, Name("dalice", provider), "ALICEPHONE");
        var (_, bobToken) = await server.CreateUserAsync(Name("dbob", provider), Password, "BOBDEV");
        using var dehydrated = Dehydrated(alice, "Dehydrated+Curve25519Key");
        var positions = server.Services.GetRequiredService<StreamPositions>();
        var before = positions.Published(StreamName.DeviceLists);

        var (put, putBody) = await alice.SendAsync(HttpMethod.Put, Path, Upload(dehydrated));
        // The same upload again (a retry) replaces the device with itself.
        var (retried, _) = await alice.SendAsync(HttpMethod.Put, Path, Upload(dehydrated));
        var (get, getBody) = await alice.SendAsync(HttpMethod.Get, Path);
        var (_, query) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", $$$$"""{"device_keys":{"{{{{alice.UserId}}}}":[]}}""", bobToken);
        var (_, claim) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/claim",
            $$$$"""{"one_time_keys":{"{{{{alice.UserId}}}}":{"{{{{dehydrated.DeviceId}}}}":"signed_curve25519"}}}""", bobToken);
        var (_, devices) = await alice.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices");
        var (_, changes) = await alice.SendAsync(HttpMethod.Get, $"/_matrix/client/v3/keys/changes?from=s0_0_0_0_{before}_0_0");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(dehydrated.DeviceId, (string?)putBody!["device_id"]);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(dehydrated.DeviceId, (string?)getBody!["device_id"]);
        Assert.True(JsonNode.DeepEquals(Upload(dehydrated)["device_data"], getBody["device_data"]));
        var published = query!["device_keys"]![alice.UserId]![dehydrated.DeviceId]!.AsObject();
        Assert.True(JsonSigning.Verify(published, alice.UserId, dehydrated.IdentityKeyId, UnpaddedBase64.Decode(dehydrated.Identity.PublicKey)));
        Assert.Equal("Dehydrated device", (string?)published["unsigned"]!["device_display_name"]);
        var claimed = claim!["one_time_keys"]![alice.UserId]![dehydrated.DeviceId]!.AsObject().Single();
        Assert.Equal(("signed_curve25519:AAAAAQ", "otk of Dehydrated+Curve25519Key"), (claimed.Key, (string?)claimed.Value!["key"]));
        // Listed with the user's other devices, as Synapse does: it is one of them.
        Assert.Equal(["ALICEPHONE", dehydrated.DeviceId], devices!["devices"]!.AsArray().Select(d => (string)d!["device_id"]!).Order(StringComparer.Ordinal));
        Assert.Contains(alice.UserId, changes!["changed"]!.AsArray().Select(u => (string?)u));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Its_to_device_messages_come_in_batches_and_stay_until_the_device_is_replaced(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var carol = await E2eeDevice.CreateAsync(server, Name("dcarol", provider), "CAROLPHONE");
        var (dave, daveToken) = await server.CreateUserAsync(Name("ddave", provider), Password, "DAVEDEV");
        // Device IDs are Curve25519 keys in base64: this one needs escaping in the path.
        using var dehydrated = Dehydrated(carol, "Carol/Dehydrated+Key");
        var events = $"{Path}/{Uri.EscapeDataString(dehydrated.DeviceId)}/events";
        Assert.Equal(HttpStatusCode.OK, (await carol.SendAsync(HttpMethod.Put, Path, Upload(dehydrated))).Response.StatusCode);

        var (sent, _) = await server.SendAsync(HttpMethod.Put, "/_matrix/client/v3/sendToDevice/m.room_key/first",
            $$$$"""{"messages":{"{{{{carol.UserId}}}}":{"*":{"n":0} } } }""", daveToken);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var more = Enumerable.Range(1, DehydratedDeviceService.MaxBatch)
                .Select(n => new ToDeviceMessage(carol.UserId, dehydrated.DeviceId, dave, "m.room_key", $$$$"""{"n":{{{{n}}}}}"""))
                .ToList();
            Assert.True(await scope.ServiceProvider.GetRequiredService<IToDeviceStore>().SendAsync(dave, "DAVEDEV", "bulk", more, 0, CancellationToken.None));
        }

        var (firstCall, first) = await carol.SendAsync(HttpMethod.Post, events, new JsonObject());
        var (_, second) = await carol.SendAsync(HttpMethod.Post, events, new JsonObject { ["next_batch"] = first!["next_batch"]!.DeepClone() });
        var (_, last) = await carol.SendAsync(HttpMethod.Post, events, new JsonObject { ["next_batch"] = second!["next_batch"]!.DeepClone() });
        var (_, again) = await carol.SendAsync(HttpMethod.Post, events);

        using var replacement = Dehydrated(carol, "CarolReplacement");
        Assert.Equal(HttpStatusCode.OK, (await carol.SendAsync(HttpMethod.Put, Path, Upload(replacement))).Response.StatusCode);
        var oldGone = await carol.SendAsync(HttpMethod.Post, events, new JsonObject());
        var (_, query) = await carol.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", JsonNode.Parse($$$$"""{"device_keys":{"{{{{carol.UserId}}}}":[]}}"""));
        var (_, fresh) = await carol.SendAsync(HttpMethod.Post, $"{Path}/{replacement.DeviceId}/events", new JsonObject());
        await using var check = server.Services.CreateAsyncScope();
        var oldInbox = await check.ServiceProvider.GetRequiredService<KeysSyncSource>()
            .ToDeviceAsync(carol.UserId, dehydrated.DeviceId, 0, long.MaxValue, 10, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(HttpStatusCode.OK, firstCall.StatusCode);
        Assert.Equal(Enumerable.Range(0, DehydratedDeviceService.MaxBatch), Numbers(first));
        var message = first["events"]![0]!;
        Assert.Equal((dave, "m.room_key"), ((string?)message["sender"], (string?)message["type"]));
        Assert.Equal([DehydratedDeviceService.MaxBatch], Numbers(second));
        Assert.Empty(Numbers(last));
        Assert.IsType<string>((string?)last!["next_batch"]);
        Assert.Equal(Numbers(first), Numbers(again));
        AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN", oldGone);
        Assert.Equal([replacement.DeviceId], query!["device_keys"]![carol.UserId]!.AsObject().Select(d => d.Key));
        Assert.Empty(Numbers(fresh));
        Assert.Empty(oldInbox.Events);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Deleting_the_dehydrated_device_deletes_the_device(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var erin = await E2eeDevice.CreateAsync(server, Name("derin", provider), "ERINPHONE");
        using var dehydrated = Dehydrated(erin, "ErinDehydrated");
        Assert.Equal(HttpStatusCode.OK, (await erin.SendAsync(HttpMethod.Put, Path, Upload(dehydrated))).Response.StatusCode);

        var (deleted, deletedBody) = await erin.SendAsync(HttpMethod.Delete, Path);
        var gone = await erin.SendAsync(HttpMethod.Get, Path);
        var again = await erin.SendAsync(HttpMethod.Delete, Path);
        var events = await erin.SendAsync(HttpMethod.Post, $"{Path}/{dehydrated.DeviceId}/events", new JsonObject());
        var (_, query) = await erin.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", JsonNode.Parse($$$$"""{"device_keys":{"{{{{erin.UserId}}}}":[]}}"""));
        var (_, devices) = await erin.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(dehydrated.DeviceId, (string?)deletedBody!["device_id"]);
        AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND", gone);
        AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND", again);
        AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN", events);
        Assert.DoesNotContain(dehydrated.DeviceId, query!["device_keys"]![erin.UserId]!.AsObject().Select(d => d.Key));
        Assert.Equal(["ERINPHONE"], devices!["devices"]!.AsArray().Select(d => (string)d!["device_id"]!));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Deleting_the_device_through_the_devices_api_ends_the_dehydrated_device(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var jan = await E2eeDevice.CreateAsync(server, Name("djan", provider), "JANPHONE");
        using var dehydrated = Dehydrated(jan, "JanDehydrated");
        Assert.Equal(HttpStatusCode.OK, (await jan.SendAsync(HttpMethod.Put, Path, Upload(dehydrated))).Response.StatusCode);
        var auth = new JsonObject { ["auth"] = new JsonObject { ["type"] = "m.login.password", ["user"] = jan.UserId, ["password"] = Password } };

        var (deleted, _) = await jan.SendAsync(HttpMethod.Delete, $"/_matrix/client/v3/devices/{dehydrated.DeviceId}", auth);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND", await jan.SendAsync(HttpMethod.Get, Path));
        AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN", await jan.SendAsync(HttpMethod.Post, $"{Path}/{dehydrated.DeviceId}/events", new JsonObject()));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Versions_lists_the_unstable_feature(DatabaseProvider provider)
    {
        var (_, body) = await servers[provider].SendAsync(HttpMethod.Get, "/_matrix/client/versions");

        Assert.True((bool?)body!["unstable_features"]!["org.matrix.msc3814"]);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Only_the_dehydrated_device_s_events_can_be_read(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var fay = await E2eeDevice.CreateAsync(server, Name("dfay", provider), "FAYPHONE");
        var (_, otherToken) = await server.CreateUserAsync(Name("dgus", provider), Password, "GUSDEV");
        using var dehydrated = Dehydrated(fay, "FayDehydrated");
        var before = await fay.SendAsync(HttpMethod.Post, $"{Path}/{dehydrated.DeviceId}/events", new JsonObject());
        Assert.Equal(HttpStatusCode.OK, (await fay.SendAsync(HttpMethod.Put, Path, Upload(dehydrated))).Response.StatusCode);

        AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN", before);
        AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN", await fay.SendAsync(HttpMethod.Post, $"{Path}/{fay.DeviceId}/events", new JsonObject()));
        AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN", await fay.SendAsync(HttpMethod.Post, $"{Path}/NOSUCHDEVICE/events", new JsonObject()));
        // Another user's dehydrated device is not theirs to read.
        AssertError(HttpStatusCode.Forbidden, "M_FORBIDDEN", await server.SendAsync(HttpMethod.Post, $"{Path}/{dehydrated.DeviceId}/events", "{}", otherToken));
        Assert.Equal(HttpStatusCode.OK, (await fay.SendAsync(HttpMethod.Post, $"{Path}/{dehydrated.DeviceId}/events", new JsonObject())).Response.StatusCode);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Bad_uploads_and_tokens_get_the_spec_errors_and_change_nothing(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var hal = await E2eeDevice.CreateAsync(server, Name("dhal", provider), "HALPHONE");
        using var dehydrated = Dehydrated(hal, "HalDehydrated");
        using var other = Dehydrated(hal, "HalOther");
        Assert.Equal(HttpStatusCode.OK, (await hal.SendAsync(HttpMethod.Put, Path, Upload(dehydrated))).Response.StatusCode);
        var events = $"{Path}/{dehydrated.DeviceId}/events";
        using var stranger = new Ed25519Signer();

        async Task Refused(HttpStatusCode status, string errcode, Action<JsonObject> change) =>
            AssertError(status, errcode, await hal.SendAsync(HttpMethod.Put, Path, Upload(other).Also(change)));

        await Refused(HttpStatusCode.BadRequest, "M_MISSING_PARAM", u => u.Remove("device_data"));
        await Refused(HttpStatusCode.BadRequest, "M_BAD_JSON", u => u["device_data"] = "not an object");
        await Refused(HttpStatusCode.BadRequest, "M_MISSING_PARAM", u => u.Remove("device_id"));
        await Refused(HttpStatusCode.BadRequest, "M_MISSING_PARAM", u => u.Remove("device_keys"));
        await Refused(HttpStatusCode.BadRequest, "M_BAD_JSON", u => u["device_keys"]!.AsObject().Remove("signatures"));
        await Refused(HttpStatusCode.BadRequest, "M_INVALID_SIGNATURE", u => u["device_keys"] = stranger.Sign(
            other.DeviceKeys().Also(k => k.Remove("signatures")), hal.UserId, other.IdentityKeyId));
        await Refused(HttpStatusCode.BadRequest, "M_INVALID_SIGNATURE", u => u["one_time_keys"] = new JsonObject
        {
            ["signed_curve25519:AAAAAg"] = stranger.Sign(new JsonObject { ["key"] = "k" }, hal.UserId, other.IdentityKeyId),
        });
        await Refused(HttpStatusCode.BadRequest, "M_INVALID_PARAM", u => u["device_keys"]!["device_id"] = "SOMEOTHER");
        await Refused(HttpStatusCode.BadRequest, "M_INVALID_PARAM", u => u["initial_device_display_name"] = "nul\u0000name");
        await Refused(HttpStatusCode.BadRequest, "M_TOO_LARGE", u => u["initial_device_display_name"] = new string('n', 101));
        // The ID of an ordinary device: its keys are in order, but the device is taken.
        using var ordinary = Dehydrated(hal, hal.DeviceId);
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await hal.SendAsync(HttpMethod.Put, Path, Upload(ordinary)));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await hal.SendAsync(HttpMethod.Post, events, new JsonObject { ["next_batch"] = "abc" }));
        AssertError(HttpStatusCode.BadRequest, "M_INVALID_PARAM", await hal.SendAsync(HttpMethod.Post, events, new JsonObject { ["next_batch"] = "-1" }));
        AssertError(HttpStatusCode.BadRequest, "M_BAD_JSON", await hal.SendAsync(HttpMethod.Post, events, new JsonObject { ["next_batch"] = 5 }));

        // The device stays as it was, with its keys, and the refused one never became a device.
        var (_, kept) = await hal.SendAsync(HttpMethod.Get, Path);
        var (_, query) = await hal.SendAsync(HttpMethod.Post, "/_matrix/client/v3/keys/query", JsonNode.Parse($$$$"""{"device_keys":{"{{{{hal.UserId}}}}":[]}}"""));
        var (_, devices) = await hal.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices");
        Assert.Equal(dehydrated.DeviceId, (string?)kept!["device_id"]);
        Assert.Equal([dehydrated.DeviceId], query!["device_keys"]![hal.UserId]!.AsObject().Select(d => d.Key));
        Assert.Equal(["HALPHONE", dehydrated.DeviceId], devices!["devices"]!.AsArray().Select(d => (string)d!["device_id"]!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Racing_uploads_all_succeed_and_leave_one_dehydrated_device(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var jo = await E2eeDevice.CreateAsync(server, Name("djo", provider), "JOPHONE");
        var candidates = Enumerable.Range(0, 6).Select(i => Dehydrated(jo, $"JoDehydrated{i}")).ToList();

        var answers = await Task.WhenAll(candidates.Select(c => jo.SendAsync(HttpMethod.Put, Path, Upload(c))));
        var (_, kept) = await jo.SendAsync(HttpMethod.Get, Path);
        var (_, devices) = await jo.SendAsync(HttpMethod.Get, "/_matrix/client/v3/devices");

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Response.StatusCode));
        var survivor = (string)kept!["device_id"]!;
        Assert.Contains(survivor, candidates.Select(c => c.DeviceId));
        Assert.Equal(["JOPHONE", survivor], devices!["devices"]!.AsArray().Select(d => (string)d!["device_id"]!).Order(StringComparer.Ordinal));
        foreach (var c in candidates)
        {
            c.Dispose();
        }
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Every_endpoint_needs_an_access_token(DatabaseProvider provider)
    {
        var server = servers[provider];
        using var ida = await E2eeDevice.CreateAsync(server, Name("dida", provider), "IDAPHONE");
        using var dehydrated = Dehydrated(ida, "IdaDehydrated");
        var body = Upload(dehydrated).ToJsonString();

        AssertError(HttpStatusCode.Unauthorized, "M_MISSING_TOKEN", await server.SendAsync(HttpMethod.Put, Path, body));
        AssertError(HttpStatusCode.Unauthorized, "M_MISSING_TOKEN", await server.SendAsync(HttpMethod.Get, Path));
        AssertError(HttpStatusCode.Unauthorized, "M_MISSING_TOKEN", await server.SendAsync(HttpMethod.Delete, Path));
        AssertError(HttpStatusCode.Unauthorized, "M_MISSING_TOKEN", await server.SendAsync(HttpMethod.Post, $"{Path}/{dehydrated.DeviceId}/events", "{}"));
        AssertError(HttpStatusCode.NotFound, "M_NOT_FOUND", await ida.SendAsync(HttpMethod.Get, Path));
    }

    /// <summary>A device of the owner's that no one logs into: its requests go with the owner's access token.</summary>
    private static E2eeDevice Dehydrated(E2eeDevice owner, string deviceId) => new(owner.Server, owner.UserId, deviceId, owner.AccessToken);

    private static JsonObject Upload(E2eeDevice device) => new()
    {
        ["device_id"] = device.DeviceId,
        ["device_data"] = new JsonObject { ["algorithm"] = "org.matrix.msc3814.v1.olm", ["device_pickle"] = "pickle of " + device.DeviceId },
        ["initial_device_display_name"] = "Dehydrated device",
        ["device_keys"] = device.DeviceKeys(),
        ["one_time_keys"] = new JsonObject { ["signed_curve25519:AAAAAQ"] = device.SignedKey("otk of " + device.DeviceId) },
        ["fallback_keys"] = new JsonObject { ["signed_curve25519:AAAAFA"] = device.SignedKey("fallback of " + device.DeviceId, fallback: true) },
    };

    private static IEnumerable<int> Numbers(JsonObject? batch) => batch!["events"]!.AsArray().Select(e => (int)e!["content"]!["n"]!);
}
