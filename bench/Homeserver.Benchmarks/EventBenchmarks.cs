using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Redaction;
using Homeserver.Protocol.Signing;
using NSec.Cryptography;
using Versions = Homeserver.Protocol.RoomVersions.RoomVersions;

namespace Homeserver.Benchmarks;

/// <summary>
/// The hot path of every event: canonical JSON, hashing and signing a new one, and verifying a received one, next
/// to the raw Ed25519 verification that bounds it (issue: verification at no less than 70% of the raw rate).
/// </summary>
[MemoryDiagnoser]
public class EventBenchmarks
{
    private SigningKey _key = null!;
    private JsonObject _message = null!;
    private byte[] _received = null!;
    private byte[] _signedBytes = null!;
    private byte[] _signature = null!;
    private PublicKey _nsecPublicKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = SigningKey.FromSeed("1", new byte[32]);
        _message = Message();
        var signed = Message();
        EventSigner.HashAndSign(signed, Versions.V11, "example.org", _key);
        _received = Encoding.UTF8.GetBytes(signed.ToJsonString());
        _signedBytes = JsonSigning.SignedBytes(Redactor.Redact(signed, Versions.V11.Redaction));
        _signature = UnpaddedBase64.Decode((string)signed["signatures"]!["example.org"]!["ed25519:1"]!);
        _nsecPublicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, _key.PublicKey, KeyBlobFormat.RawPublicKey);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public byte[] CanonicalJsonOfMessage() => CanonicalJson.Encode(_message);

    [Benchmark]
    public string HashAndSignMessage() => EventSigner.HashAndSign(Message(), Versions.V11, "example.org", _key);

    [Benchmark]
    public string EventIdOfMessage() => EventIds.Compute(_message, Versions.V11)!;

    [Benchmark]
    public JsonObject RedactMessage() => Redactor.Redact(_message, Versions.V11.Redaction);

    /// <summary>What a received PDU costs before the auth rules: parse, content hash, event ID and signature.</summary>
    [Benchmark]
    public bool VerifyReceivedEvent()
    {
        if (!PduParser.TryParse(_received, Versions.V11, out var pdu, out _) || !EventHashing.HasValidContentHash(pdu.Json))
        {
            return false;
        }

        return JsonSigning.Verify(Redactor.Redact(pdu.Json, Versions.V11.Redaction), "example.org", "ed25519:1", _key.PublicKey);
    }

    [Benchmark(Baseline = true)]
    public bool RawEd25519Verify() => SignatureAlgorithm.Ed25519.Verify(_nsecPublicKey, _signedBytes, _signature);

    private static JsonObject Message() => new()
    {
        ["room_id"] = "!OGEhHVWSdvArJzumhm:matrix.org",
        ["sender"] = "@alice:example.org",
        ["type"] = "m.room.message",
        ["content"] = new JsonObject
        {
            ["msgtype"] = "m.text",
            ["body"] = "Hello, this is a typical message of about one hundred characters, sent to a busy room.",
        },
        ["prev_events"] = new JsonArray("$Ipj5jN5PzEqcdeuahtwgMZjodxZbOtkw0qU6Avo0ipI"),
        ["auth_events"] = new JsonArray(
            "$4bpfC3xzlwK7yuzgcM3oc8AkGKk0bMK2rZqxlLLK0xA",
            "$RR6TNgcQPUmOnjswAW4i5SrVnbAkbQ2UdTXbd3Fa7Pw",
            "$JyA13phWJr6rFfvsb3HLfXjtLW3dkgZeDV3urx4smNQ"),
        ["depth"] = 1234,
        ["origin_server_ts"] = 1_764_000_000_000,
        ["unsigned"] = new JsonObject { ["age_ts"] = 1_764_000_000_000 },
    };
}
