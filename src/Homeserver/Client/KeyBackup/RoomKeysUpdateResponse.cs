using Homeserver.Core.KeyBackup;

namespace Homeserver.Client.KeyBackup;

public sealed record RoomKeysUpdateResponse(string Etag, long Count)
{
    public static RoomKeysUpdateResponse From(BackupKeysUpdate update) => new(update.Etag, update.Count);
}
