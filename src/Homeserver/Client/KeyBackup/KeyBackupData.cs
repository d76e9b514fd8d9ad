using System.Text.Json.Nodes;
using Homeserver.Core.KeyBackup;

namespace Homeserver.Client.KeyBackup;

/// <summary>One backed-up session, as sent and as answered (the spec's <c>KeyBackupData</c>).</summary>
public sealed record KeyBackupData(long FirstMessageIndex, long ForwardedCount, bool IsVerified, JsonObject SessionData)
{
    public BackupKey ToKey(string roomId, string sessionId) =>
        new(roomId, sessionId, FirstMessageIndex, ForwardedCount, IsVerified, SessionData.ToJsonString());

    public static KeyBackupData From(BackupKey key) =>
        new(key.FirstMessageIndex, key.ForwardedCount, key.IsVerified, JsonNode.Parse(key.SessionDataJson)!.AsObject());
}
