using System.Text.Json.Nodes;

namespace Homeserver.Client.Account;

public sealed record DeactivateRequest(JsonObject? Auth = null, bool? Erase = null, string? IdServer = null);
