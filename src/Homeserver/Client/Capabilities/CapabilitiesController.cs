using System.Text.Json.Nodes;
using Homeserver.Protocol.RoomVersions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Capabilities;

/// <summary><c>GET /_matrix/client/v3/capabilities</c> (client-server API, "Capabilities negotiation").</summary>
[Authorize]
public sealed class CapabilitiesController : ClientApiController
{
    [HttpGet("_matrix/client/v3/capabilities")]
    public JsonObject Get()
    {
        var versions = new JsonObject();
        foreach (var (id, rules) in RoomVersions.All.OrderBy(v => int.Parse(v.Key, System.Globalization.CultureInfo.InvariantCulture)))
        {
            versions[id] = rules.Stability == RoomVersionStability.Stable ? "stable" : "unstable";
        }

        static JsonObject Enabled(bool enabled) => new() { ["enabled"] = enabled };
        return new JsonObject
        {
            ["capabilities"] = new JsonObject
            {
                ["m.change_password"] = Enabled(true),
                ["m.room_versions"] = new JsonObject { ["default"] = RoomVersions.Default.Id, ["available"] = versions },
                ["m.set_displayname"] = Enabled(true),
                ["m.set_avatar_url"] = Enabled(true),
                ["m.profile_fields"] = Enabled(true),
                ["m.3pid_changes"] = Enabled(false),
                ["m.get_login_token"] = Enabled(false),
            },
        };
    }
}
