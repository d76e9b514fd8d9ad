using System.Text.Json;
using System.Text.Json.Nodes;

namespace Homeserver.Protocol.Json;

/// <summary>
/// Reads a JSON integer whatever backs the node: a parsed token, or a CLR int or long put there by our own code
/// (System.Text.Json does not convert between those for us).
/// </summary>
public static class JsonInteger
{
    public static bool TryRead(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue json)
        {
            return false;
        }

        if (json.TryGetValue(out value))
        {
            return true;
        }

        if (json.TryGetValue<int>(out var small))
        {
            value = small;
            return true;
        }

        return json.TryGetValue<JsonElement>(out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value);
    }
}
