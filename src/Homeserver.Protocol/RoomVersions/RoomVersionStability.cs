namespace Homeserver.Protocol.RoomVersions;

public enum RoomVersionStability
{
    Stable,
    Unstable,
}
