namespace Homeserver.Storage.Entities;

/// <summary>
/// The copy of another server's user's device list, kept while they share a room with a local user: the devices as
/// one JSON object (device ID to <c>keys</c> and <c>device_display_name</c>), read and written whole.
/// </summary>
public sealed class RemoteDeviceListEntity
{
    public required string UserId { get; set; }

    public long StreamId { get; set; }

    /// <summary>An update was missed: the list is fetched again before it is used.</summary>
    public bool IsStale { get; set; }

    public required string DevicesJson { get; set; }

    public string? MasterKeyJson { get; set; }

    public string? SelfSigningKeyJson { get; set; }
}
