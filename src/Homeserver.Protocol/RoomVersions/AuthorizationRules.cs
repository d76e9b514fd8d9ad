namespace Homeserver.Protocol.RoomVersions;

/// <summary>The variations of the auth rules between room versions, as flags the auth code asks about.</summary>
public sealed record AuthorizationRules
{
    /// <summary>v1–v5: <c>m.room.aliases</c> events are allowed when the state key is the sender's server.</summary>
    public bool SpecialCaseAliasesAuth { get; init; }

    /// <summary>v1–v2: a redaction is allowed when it comes from the same server as the event it redacts.</summary>
    public bool RedactionSameServerCheck { get; init; }

    /// <summary>v6+: the <c>notifications</c> levels of <c>m.room.power_levels</c> take part in the change checks.</summary>
    public bool LimitNotificationsPowerLevels { get; init; }

    /// <summary>v7+: the <c>knock</c> membership and join rule.</summary>
    public bool Knocking { get; init; }

    /// <summary>v8+: the <c>restricted</c> join rule and <c>join_authorised_via_users_server</c>.</summary>
    public bool RestrictedJoinRule { get; init; }

    /// <summary>v10+: the <c>knock_restricted</c> join rule.</summary>
    public bool KnockRestrictedJoinRule { get; init; }

    /// <summary>v10+: power level values must be JSON integers, not strings.</summary>
    public bool IntegerPowerLevels { get; init; }

    /// <summary>v11+: the room creator is the create event's sender (the <c>creator</c> content key is gone).</summary>
    public bool UseRoomCreateSender { get; init; }

    /// <summary>v12+: creators (sender and <c>additional_creators</c>) have unlimited power and are not in <c>users</c>.</summary>
    public bool ExplicitlyPrivilegeRoomCreators { get; init; }

    /// <summary>v12+: the room ID is derived from the create event, which is never listed in <c>auth_events</c>.</summary>
    public bool RoomCreateEventIdAsRoomId { get; init; }

    public static AuthorizationRules V1 { get; } = new()
    {
        SpecialCaseAliasesAuth = true,
        RedactionSameServerCheck = true,
    };
}
