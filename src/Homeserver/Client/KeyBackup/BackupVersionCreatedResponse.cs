namespace Homeserver.Client.KeyBackup;

public sealed record BackupVersionCreatedResponse(string Version);
