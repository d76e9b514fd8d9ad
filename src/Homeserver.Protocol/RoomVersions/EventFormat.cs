namespace Homeserver.Protocol.RoomVersions;

/// <summary>How events of a room version are shaped and identified.</summary>
public enum EventFormat
{
    /// <summary>Versions 1–2: the origin server assigns <c>$local:server</c> IDs; prev/auth events are [id, hashes] pairs.</summary>
    V1,

    /// <summary>Version 3: the event ID is the standard unpadded base64 of the reference hash.</summary>
    V2,

    /// <summary>Version 4 onwards: the event ID is the URL-safe unpadded base64 of the reference hash.</summary>
    V3,
}
