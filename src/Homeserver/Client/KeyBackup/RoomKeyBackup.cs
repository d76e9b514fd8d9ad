using Homeserver.Core.Errors;
using Homeserver.Core.KeyBackup;

namespace Homeserver.Client.KeyBackup;

/// <summary>The backed-up sessions of one room: session ID → key data.</summary>
public sealed record RoomKeyBackup(Dictionary<string, KeyBackupData?> Sessions)
{
    public IEnumerable<BackupKey> ToKeys(string roomId) =>
        Sessions.Select(s => (s.Value ?? throw MatrixException.BadJson($"The key data of session {s.Key} must be an object")).ToKey(roomId, s.Key));

    public static RoomKeyBackup From(IEnumerable<BackupKey> keys) =>
        new(keys.ToDictionary(k => k.SessionId, k => (KeyBackupData?)KeyBackupData.From(k), StringComparer.Ordinal));
}
