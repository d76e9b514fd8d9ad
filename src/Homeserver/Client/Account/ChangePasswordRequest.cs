using System.Text.Json.Nodes;

namespace Homeserver.Client.Account;

public sealed record ChangePasswordRequest(string NewPassword, bool? LogoutDevices = null, JsonObject? Auth = null);
