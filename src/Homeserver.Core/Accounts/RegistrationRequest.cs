using System.Text.Json.Nodes;

namespace Homeserver.Core.Accounts;

public sealed record RegistrationRequest(
    string? Username,
    string? Password,
    JsonObject? Auth,
    string? DeviceId,
    string? InitialDeviceDisplayName,
    bool InhibitLogin,
    bool Refreshable = false,
    string Kind = "user");
