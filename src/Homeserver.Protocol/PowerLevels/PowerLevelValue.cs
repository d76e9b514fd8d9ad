using System.Globalization;
using System.Text.Json.Nodes;
using Homeserver.Protocol.Json;

namespace Homeserver.Protocol.PowerLevels;

/// <summary>Reads one power level from JSON, as each room version allows it to be written.</summary>
public static class PowerLevelValue
{
    /// <summary>
    /// A JSON integer; before room version 10 also a string holding one ("stringy power levels", rooms/v1) and an
    /// integral float. Returns false for anything else.
    /// </summary>
    public static bool TryRead(JsonNode? node, bool integersOnly, out long level)
    {
        level = 0;
        if (node is not JsonValue value)
        {
            return false;
        }

        if (JsonInteger.TryRead(value, out level))
        {
            return true;
        }

        var kind = value.GetValueKind();
        if (kind == System.Text.Json.JsonValueKind.Number)
        {
            var text = value.ToJsonString();
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out level))
            {
                return true;
            }

            if (!integersOnly && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                && Math.Floor(d) == d && Math.Abs(d) < 9e18)
            {
                level = (long)d;
                return true;
            }

            return false;
        }

        return !integersOnly && kind == System.Text.Json.JsonValueKind.String
            && long.TryParse(value.GetValue<string>().Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out level);
    }
}
