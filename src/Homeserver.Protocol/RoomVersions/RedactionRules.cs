namespace Homeserver.Protocol.RoomVersions;

/// <summary>The variations of the redaction algorithm between room versions.</summary>
public sealed record RedactionRules
{
    /// <summary>v1–v5: <c>m.room.aliases</c> keeps <c>aliases</c>.</summary>
    public bool KeepRoomAliasesAliases { get; init; }

    /// <summary>v8+: <c>m.room.join_rules</c> keeps <c>allow</c>.</summary>
    public bool KeepJoinRulesAllow { get; init; }

    /// <summary>v9+: <c>m.room.member</c> keeps <c>join_authorised_via_users_server</c>.</summary>
    public bool KeepMemberJoinAuthorisedViaUsersServer { get; init; }

    /// <summary>
    /// v11+: <c>origin</c>, <c>membership</c> and <c>prev_state</c> are no longer kept at top level;
    /// <c>m.room.create</c> keeps all content; <c>m.room.power_levels</c> keeps <c>invite</c>;
    /// <c>m.room.redaction</c> keeps <c>redacts</c> in content; <c>m.room.member</c> keeps
    /// <c>third_party_invite.signed</c>.
    /// </summary>
    public bool V11Changes { get; init; }

    public static RedactionRules V1 { get; } = new() { KeepRoomAliasesAliases = true };
}
