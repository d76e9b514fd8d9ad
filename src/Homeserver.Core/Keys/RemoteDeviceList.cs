namespace Homeserver.Core.Keys;

/// <summary>
/// This server's copy of another server's user's devices and cross-signing keys, as of the user's device-list
/// stream ID <paramref name="StreamId"/> (the <c>stream_id</c> of <c>user/devices</c> and of the EDUs).
/// </summary>
public sealed record RemoteDeviceList(string UserId, long StreamId, IReadOnlyList<RemoteDevice> Devices, string? MasterKeyJson, string? SelfSigningKeyJson);
