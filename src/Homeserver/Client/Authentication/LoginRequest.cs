namespace Homeserver.Client.Authentication;

public sealed record LoginRequest(
    string Type,
    UserIdentifier? Identifier = null,
    string? User = null,
    string? Password = null,
    string? DeviceId = null,
    string? InitialDeviceDisplayName = null,
    bool? RefreshToken = null);
