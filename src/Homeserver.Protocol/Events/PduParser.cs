using System.Text;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.Events;

/// <summary>
/// The first check on a received PDU (server-server API, "Checks performed on receipt of a PDU", step 1): valid
/// JSON of the room version's format within the size limits. It computes the event ID; signatures, hashes and
/// auth rules are the next steps.
/// </summary>
public static class PduParser
{
    /// <summary>The largest event, as canonical JSON with its signatures (server-server API, "Size limits").</summary>
    public const int MaxEventBytes = 65_536;

    private const int MaxIdentifierBytes = 255;
    private static readonly string[] LimitedFields = ["sender", "room_id", "state_key", "type", "event_id"];

    public static bool TryParse(ReadOnlySpan<byte> utf8, RoomVersionRules rules, out Pdu pdu, out string error)
    {
        pdu = null!;
        if (!CanonicalJson.TryParse(utf8, rules.StrictCanonicalJson, out var json, out error))
        {
            return false;
        }

        return TryParse(json, rules, out pdu, out error);
    }

    public static bool TryParse(JsonObject json, RoomVersionRules rules, out Pdu pdu, out string error)
    {
        pdu = null!;
        try
        {
            if (CanonicalJson.Encode(json).Length > MaxEventBytes)
            {
                error = $"The event is larger than {MaxEventBytes} bytes";
                return false;
            }

            foreach (var field in LimitedFields)
            {
                if (json[field] is JsonValue value && value.TryGetValue<string>(out var text) && Encoding.UTF8.GetByteCount(text) > MaxIdentifierBytes)
                {
                    error = $"{field} is longer than {MaxIdentifierBytes} bytes";
                    return false;
                }
            }

            var eventId = EventIds.Compute(json, rules);
            if (eventId is null)
            {
                error = "event_id is required in this room version";
                return false;
            }

            pdu = Pdu.FromJson(json, eventId, rules);
            error = string.Empty;
            return true;
        }
        catch (Exception e) when (e is InvalidEventException or FormatException)
        {
            error = e.Message;
            return false;
        }
    }
}
