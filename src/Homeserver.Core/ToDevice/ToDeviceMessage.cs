namespace Homeserver.Core.ToDevice;

/// <summary>A to-device message for one device of a local user; the content is JSON text.</summary>
public sealed record ToDeviceMessage(string UserId, string DeviceId, string Sender, string Type, string ContentJson);
