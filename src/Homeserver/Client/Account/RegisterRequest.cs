using System.Text.Json.Nodes;

namespace Homeserver.Client.Account;

public sealed record RegisterRequest(
    string? Username = null,
    string? Password = null,
    JsonObject? Auth = null,
    string? DeviceId = null,
    string? InitialDeviceDisplayName = null,
    bool? InhibitLogin = null,
    bool? RefreshToken = null);
