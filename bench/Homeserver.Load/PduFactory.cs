using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;

namespace Homeserver.Load;

/// <summary>
/// Events of one remote user in one room, complete as its server sends them: content hash, the server's signature
/// over the redacted event, and the event ID of the room version.
/// </summary>
internal sealed class PduFactory(RoomVersionRules rules, string roomId, string sender, string serverName, SigningKey key)
{
    /// <summary>The create event, the power levels and the sender's membership, once the sender has joined.</summary>
    public IReadOnlyList<string> AuthEvents { get; set; } = [];

    public (string EventId, JsonObject Json) Create(string type, string? stateKey, JsonObject content, IReadOnlyList<string> prevEvents, long depth, long originServerTs)
    {
        var json = new JsonObject
        {
            ["room_id"] = roomId,
            ["sender"] = sender,
            ["type"] = type,
            ["content"] = content,
            ["auth_events"] = new JsonArray([.. AuthEvents.Select(id => (JsonNode)id)]),
            ["prev_events"] = new JsonArray([.. prevEvents.Select(id => (JsonNode)id)]),
            ["depth"] = depth,
            ["origin_server_ts"] = originServerTs,
        };
        if (stateKey is not null)
        {
            json["state_key"] = stateKey;
        }

        return (EventSigner.HashAndSign(json, rules, serverName, key), json);
    }

    /// <summary>Completes a template the resident server handed out (make_join): the time, the hash, the signature.</summary>
    public string Complete(JsonObject template, long originServerTs)
    {
        template["origin_server_ts"] = originServerTs;
        template.Remove("hashes");
        template.Remove("signatures");
        return EventSigner.HashAndSign(template, rules, serverName, key);
    }
}
