using System.Globalization;
using System.Text.Json.Nodes;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Server;

/// <summary>What clients may do here (client-server API, "Capabilities negotiation").</summary>
public static class ServerCapabilities
{
    public static JsonObject Describe()
    {
        var versions = new JsonObject();
        foreach (var (id, rules) in RoomVersions.All.OrderBy(v => int.Parse(v.Key, CultureInfo.InvariantCulture)))
        {
            versions[id] = rules.Stability == RoomVersionStability.Stable ? "stable" : "unstable";
        }

        static JsonObject Enabled(bool enabled) => new() { ["enabled"] = enabled };
        return new JsonObject
        {
            ["m.change_password"] = Enabled(true),
            ["m.room_versions"] = new JsonObject { ["default"] = RoomVersions.Default.Id, ["available"] = versions },
            ["m.set_displayname"] = Enabled(true),
            ["m.set_avatar_url"] = Enabled(true),
            ["m.profile_fields"] = Enabled(true),
            ["m.3pid_changes"] = Enabled(false),
            ["m.get_login_token"] = Enabled(false),
        };
    }
}
