namespace Homeserver.Core.KeyBackup;

/// <summary>A key backup version as <c>GET /room_keys/version</c> describes it; <see cref="AuthDataJson"/> is JSON text.</summary>
public sealed record BackupVersion(string Version, string Algorithm, string AuthDataJson, long Count, string Etag);
