namespace Homeserver.Core.ToDevice;

/// <summary>A to-device message waiting in a device's inbox, at its position in the to-device stream.</summary>
public sealed record StoredToDeviceMessage(long Position, string Sender, string Type, string ContentJson);
