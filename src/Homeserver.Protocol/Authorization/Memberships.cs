namespace Homeserver.Protocol.Authorization;

/// <summary>The values of <c>m.room.member</c>'s <c>membership</c>.</summary>
public static class Memberships
{
    public const string Join = "join";
    public const string Invite = "invite";
    public const string Leave = "leave";
    public const string Ban = "ban";
    public const string Knock = "knock";
}
