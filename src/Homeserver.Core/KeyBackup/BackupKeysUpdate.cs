namespace Homeserver.Core.KeyBackup;

/// <summary>The state of a backup after its keys changed: how many it holds and its new etag.</summary>
public sealed record BackupKeysUpdate(long Count, string Etag);
