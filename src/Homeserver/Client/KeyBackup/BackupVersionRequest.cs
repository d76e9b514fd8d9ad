using System.Text.Json.Nodes;

namespace Homeserver.Client.KeyBackup;

/// <summary>The body of <c>POST /room_keys/version</c> and <c>PUT /room_keys/version/{version}</c>.</summary>
public sealed record BackupVersionRequest(string Algorithm, JsonObject AuthData, string? Version = null);
