using Homeserver.Core.Errors;
using Homeserver.Core.KeyBackup;

namespace Homeserver.Client.KeyBackup;

/// <summary>The backed-up sessions of every room: room ID → sessions.</summary>
public sealed record RoomKeysBackup(Dictionary<string, RoomKeyBackup?> Rooms)
{
    public IReadOnlyList<BackupKey> ToKeys() =>
        [.. Rooms.SelectMany(r => (r.Value ?? throw MatrixException.BadJson($"The sessions of room {r.Key} must be an object")).ToKeys(r.Key))];

    public static RoomKeysBackup From(IEnumerable<BackupKey> keys) =>
        new(keys.GroupBy(k => k.RoomId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (RoomKeyBackup?)RoomKeyBackup.From(g), StringComparer.Ordinal));
}
