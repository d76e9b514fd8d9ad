using System.Collections.Frozen;

namespace Homeserver.Protocol.RoomVersions;

/// <summary>The registry of room versions 1–12 (spec: rooms/v1.md … rooms/v12.md).</summary>
public static class RoomVersions
{
    public static RoomVersionRules V1 { get; } = new()
    {
        Id = "1",
        EventFormat = EventFormat.V1,
        StateResolution = StateResolutionAlgorithm.V1,
        Authorization = AuthorizationRules.V1,
        Redaction = RedactionRules.V1,
    };

    public static RoomVersionRules V2 { get; } = V1 with { Id = "2", StateResolution = StateResolutionAlgorithm.V2 };

    public static RoomVersionRules V3 { get; } = V2 with
    {
        Id = "3",
        EventFormat = EventFormat.V2,
        Authorization = V2.Authorization with { RedactionSameServerCheck = false },
    };

    public static RoomVersionRules V4 { get; } = V3 with { Id = "4", EventFormat = EventFormat.V3 };

    public static RoomVersionRules V5 { get; } = V4 with { Id = "5", EnforceKeyValidity = true };

    public static RoomVersionRules V6 { get; } = V5 with
    {
        Id = "6",
        StrictCanonicalJson = true,
        Authorization = V5.Authorization with { SpecialCaseAliasesAuth = false, LimitNotificationsPowerLevels = true },
        Redaction = V5.Redaction with { KeepRoomAliasesAliases = false },
    };

    public static RoomVersionRules V7 { get; } = V6 with
    {
        Id = "7",
        Authorization = V6.Authorization with { Knocking = true },
    };

    public static RoomVersionRules V8 { get; } = V7 with
    {
        Id = "8",
        Authorization = V7.Authorization with { RestrictedJoinRule = true },
        Redaction = V7.Redaction with { KeepJoinRulesAllow = true },
    };

    public static RoomVersionRules V9 { get; } = V8 with
    {
        Id = "9",
        Redaction = V8.Redaction with { KeepMemberJoinAuthorisedViaUsersServer = true },
    };

    public static RoomVersionRules V10 { get; } = V9 with
    {
        Id = "10",
        Authorization = V9.Authorization with { KnockRestrictedJoinRule = true, IntegerPowerLevels = true },
    };

    public static RoomVersionRules V11 { get; } = V10 with
    {
        Id = "11",
        Authorization = V10.Authorization with { UseRoomCreateSender = true },
        Redaction = V10.Redaction with { V11Changes = true },
    };

    public static RoomVersionRules V12 { get; } = V11 with
    {
        Id = "12",
        StateResolution = StateResolutionAlgorithm.V21,
        Authorization = V11.Authorization with
        {
            ExplicitlyPrivilegeRoomCreators = true,
            RoomCreateEventIdAsRoomId = true,
        },
    };

    /// <summary>The version new rooms get when the client does not ask for one.</summary>
    public static RoomVersionRules Default => V11;

    public static FrozenDictionary<string, RoomVersionRules> All { get; } =
        new[] { V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12 }.ToFrozenDictionary(v => v.Id, StringComparer.Ordinal);

    public static bool TryGet(string id, out RoomVersionRules rules) =>
        All.TryGetValue(id, out rules!);
}
