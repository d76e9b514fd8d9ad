using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.PowerLevels;

/// <summary>
/// The power levels of a room (client-server API, <c>m.room.power_levels</c>), with the spec's defaults for missing
/// keys and for a room without a power-levels event, and (room version 12) creators above every level.
/// </summary>
public sealed class RoomPowerLevels
{
    /// <summary>The level of a room version 12 creator: above any level a power-levels event can give.</summary>
    public const long Infinite = long.MaxValue;

    private readonly IReadOnlySet<string> _creators;
    private readonly bool _creatorsAreInfinite;

    private RoomPowerLevels(IReadOnlySet<string> creators, bool creatorsAreInfinite)
    {
        _creators = creators;
        _creatorsAreInfinite = creatorsAreInfinite;
    }

    public long Ban { get; private init; } = 50;

    public long Kick { get; private init; } = 50;

    public long Redact { get; private init; } = 50;

    public long Invite { get; private init; }

    public long EventsDefault { get; private init; }

    public long StateDefault { get; private init; } = 50;

    public long UsersDefault { get; private init; }

    public IReadOnlyDictionary<string, long> Users { get; private init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Events { get; private init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Notifications { get; private init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>
    /// The levels in force, from the current power-levels event (null when the room has none) and the create event.
    /// Values that cannot be read fall back to their defaults: the auth rules refuse such events when they are sent.
    /// </summary>
    public static RoomPowerLevels From(Pdu? powerLevels, Pdu? create, RoomVersionRules rules)
    {
        var creators = Creators(create, rules);
        var explicitCreators = rules.Authorization.ExplicitlyPrivilegeRoomCreators;
        if (powerLevels is null)
        {
            // No power-levels event: the creator has 100 (or more, from v12), everyone else 0, and sending
            // state needs 0.
            var users = explicitCreators ? new Dictionary<string, long>(StringComparer.Ordinal) : creators.ToDictionary(c => c, _ => 100L, StringComparer.Ordinal);
            return new RoomPowerLevels(creators, explicitCreators) { StateDefault = 0, Users = users };
        }

        var content = powerLevels.Content;
        var integersOnly = rules.Authorization.IntegerPowerLevels;
        long Read(string key, long fallback) => PowerLevelValue.TryRead(content[key], integersOnly, out var v) ? v : fallback;
        return new RoomPowerLevels(creators, explicitCreators)
        {
            Ban = Read("ban", 50),
            Kick = Read("kick", 50),
            Redact = Read("redact", 50),
            Invite = Read("invite", 0),
            EventsDefault = Read("events_default", 0),
            StateDefault = Read("state_default", 50),
            UsersDefault = Read("users_default", 0),
            Users = ReadMap(content["users"], integersOnly),
            Events = ReadMap(content["events"], integersOnly),
            Notifications = ReadMap(content["notifications"], integersOnly),
        };
    }

    /// <summary>The room's creators: the <c>creator</c> of the create event (its sender from v11), plus v12's additional creators.</summary>
    public static IReadOnlySet<string> Creators(Pdu? create, RoomVersionRules rules)
    {
        var creators = new HashSet<string>(StringComparer.Ordinal);
        if (create is null)
        {
            return creators;
        }

        if (rules.Authorization.UseRoomCreateSender)
        {
            creators.Add(create.Sender);
        }
        else if (create.Content["creator"] is JsonValue v && v.TryGetValue<string>(out var creator))
        {
            creators.Add(creator);
        }

        if (rules.Authorization.ExplicitlyPrivilegeRoomCreators && create.Content["additional_creators"] is JsonArray additional)
        {
            foreach (var item in additional)
            {
                if (item is JsonValue value && value.TryGetValue<string>(out var user))
                {
                    creators.Add(user);
                }
            }
        }

        return creators;
    }

    public long UserLevel(string userId)
    {
        if (_creatorsAreInfinite && _creators.Contains(userId))
        {
            return Infinite;
        }

        return Users.TryGetValue(userId, out var level) ? level : UsersDefault;
    }

    /// <summary>The level needed to send an event of this type (the <c>events</c> entry, else the state or events default).</summary>
    public long RequiredForEvent(string type, bool isState) =>
        Events.TryGetValue(type, out var level) ? level : isState ? StateDefault : EventsDefault;

    public bool CanSend(string userId, string type, bool isState) => UserLevel(userId) >= RequiredForEvent(type, isState);

    private static Dictionary<string, long> ReadMap(JsonNode? node, bool integersOnly)
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (PowerLevelValue.TryRead(value, integersOnly, out var level))
                {
                    map[key] = level;
                }
            }
        }

        return map;
    }
}
