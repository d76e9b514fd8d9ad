using System.Buffers;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Redaction;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;

namespace Homeserver.Protocol.Events;

/// <summary>The two hashes of an event (server-server API, "Calculating the reference hash" and "content hash").</summary>
public static class EventHashing
{
    private static readonly FrozenSet<string> NotInContentHash =
        new[] { "unsigned", "signatures", "hashes" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>SHA-256 of the event without <c>unsigned</c>, <c>signatures</c> and <c>hashes</c>: proves the full content.</summary>
    public static byte[] ContentHash(JsonObject json)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        CanonicalJson.Write(buffer, json, NotInContentHash);
        return SHA256.HashData(buffer.WrittenSpan);
    }

    /// <summary>Whether the event's <c>hashes.sha256</c> matches its content; an event failing this is redacted, not trusted whole.</summary>
    public static bool HasValidContentHash(JsonObject json) =>
        json["hashes"]?["sha256"] is JsonValue value
        && value.TryGetValue<string>(out var encoded)
        && UnpaddedBase64.TryDecode(encoded, out var claimed)
        && CryptographicOperations.FixedTimeEquals(claimed, ContentHash(json));

    /// <summary>SHA-256 of the redacted event without <c>signatures</c> and <c>unsigned</c>: the event ID from room version 3 on.</summary>
    public static byte[] ReferenceHash(JsonObject json, RoomVersionRules rules)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        CanonicalJson.Write(buffer, Redactor.Redact(json, rules.Redaction), JsonSigning.UnsignedKeys);
        return SHA256.HashData(buffer.WrittenSpan);
    }
}
