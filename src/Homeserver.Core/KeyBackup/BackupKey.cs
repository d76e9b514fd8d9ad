namespace Homeserver.Core.KeyBackup;

/// <summary>One backed-up megolm session; <see cref="SessionDataJson"/> is the encrypted session data as JSON text.</summary>
public sealed record BackupKey(string RoomId, string SessionId, long FirstMessageIndex, long ForwardedCount, bool IsVerified, string SessionDataJson)
{
    /// <summary>
    /// Whether this key should replace <paramref name="existing"/> for the same session (client-server API,
    /// "Server-side key backups"): a verified key beats an unverified one, then the lower first message index
    /// wins, then the lower forwarded count; on a tie the stored key stays.
    /// </summary>
    public bool Replaces(BackupKey existing)
    {
        if (IsVerified != existing.IsVerified)
        {
            return IsVerified;
        }

        return FirstMessageIndex != existing.FirstMessageIndex
            ? FirstMessageIndex < existing.FirstMessageIndex
            : ForwardedCount < existing.ForwardedCount;
    }
}
