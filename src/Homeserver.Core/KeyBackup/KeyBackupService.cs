using System.Globalization;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Keys;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.KeyBackup;

/// <summary>Server-side key backups (client-server API, "Server-side key backups"): <c>/room_keys/…</c>.</summary>
public sealed class KeyBackupService(IKeyBackupStore store)
{
    public async Task<string> CreateVersionAsync(Session session, string algorithm, JsonObject authData, CancellationToken cancellationToken)
    {
        KeyJson.RequireIdentifier(algorithm, "The algorithm");
        var version = await store.CreateVersionAsync(session.UserId, algorithm, KeyJson.Canonical(authData), cancellationToken);
        return version.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The given version, or the current one when <paramref name="version"/> is null.</summary>
    public async Task<BackupVersion> GetVersionAsync(Session session, string? version, CancellationToken cancellationToken) =>
        await store.GetVersionAsync(session.UserId, version is null ? null : ParseVersion(version), cancellationToken)
        ?? throw (version is null ? MatrixException.NotFound("No current backup version") : UnknownVersion());

    /// <summary>Only <c>auth_data</c> can change; the algorithm, and the version when given, must be the stored ones.</summary>
    public async Task UpdateVersionAsync(Session session, string version, string algorithm, JsonObject authData, string? bodyVersion, CancellationToken cancellationToken)
    {
        if (bodyVersion is not null && bodyVersion != version)
        {
            throw MatrixException.InvalidParam("The version in the body does not match the version in the path");
        }

        var number = ParseVersion(version);
        var stored = await store.GetVersionAsync(session.UserId, number, cancellationToken) ?? throw UnknownVersion();
        if (stored.Algorithm != algorithm)
        {
            throw MatrixException.InvalidParam("The algorithm of a backup cannot change");
        }

        if (!await store.UpdateVersionAsync(session.UserId, number, KeyJson.Canonical(authData), cancellationToken))
        {
            throw UnknownVersion();
        }
    }

    public async Task DeleteVersionAsync(Session session, string version, CancellationToken cancellationToken)
    {
        if (!await store.DeleteVersionAsync(session.UserId, ParseVersion(version), cancellationToken))
        {
            throw UnknownVersion();
        }
    }

    public async Task<IReadOnlyList<BackupKey>> GetKeysAsync(Session session, string? version, string? roomId, string? sessionId, CancellationToken cancellationToken)
    {
        var number = await ExistingVersionAsync(session, version, cancellationToken);
        CheckLocation(roomId, sessionId);
        return await store.GetKeysAsync(session.UserId, number, roomId, sessionId, cancellationToken);
    }

    public async Task<BackupKey> GetKeyAsync(Session session, string? version, string roomId, string sessionId, CancellationToken cancellationToken) =>
        await GetKeysAsync(session, version, roomId, sessionId, cancellationToken) is [var key, ..]
            ? key
            : throw MatrixException.NotFound("No key is backed up for this session");

    public async Task<BackupKeysUpdate> PutKeysAsync(Session session, string? version, IReadOnlyList<BackupKey> keys, CancellationToken cancellationToken)
    {
        if (version is null)
        {
            throw MatrixException.MissingParam("'version' is required");
        }

        // Writing into a version other than the current would hide keys from clients that restore the current one.
        var current = await store.GetVersionAsync(session.UserId, null, cancellationToken) ?? throw UnknownVersion();
        if (current.Version != version)
        {
            throw WrongVersion(current.Version);
        }

        var number = ParseVersion(version);
        foreach (var key in keys)
        {
            CheckLocation(key.RoomId, key.SessionId);
            if (key.FirstMessageIndex < 0 || key.ForwardedCount < 0)
            {
                throw MatrixException.InvalidParam("first_message_index and forwarded_count cannot be negative");
            }
        }

        return await store.PutKeysAsync(session.UserId, number, keys, cancellationToken);
    }

    public async Task<BackupKeysUpdate> DeleteKeysAsync(Session session, string? version, string? roomId, string? sessionId, CancellationToken cancellationToken)
    {
        var number = await ExistingVersionAsync(session, version, cancellationToken);
        CheckLocation(roomId, sessionId);
        return await store.DeleteKeysAsync(session.UserId, number, roomId, sessionId, cancellationToken);
    }

    private async Task<long> ExistingVersionAsync(Session session, string? version, CancellationToken cancellationToken)
    {
        if (version is null)
        {
            throw MatrixException.MissingParam("'version' is required");
        }

        var number = ParseVersion(version);
        return await store.GetVersionAsync(session.UserId, number, cancellationToken) is null ? throw UnknownVersion() : number;
    }

    private static void CheckLocation(string? roomId, string? sessionId)
    {
        if (roomId is not null && (!KeyJson.IsIdentifier(roomId) || !RoomId.TryParse(roomId, out _)))
        {
            throw MatrixException.InvalidParam($"'{roomId}' is not a room ID");
        }

        if (sessionId is not null && !KeyJson.IsIdentifier(sessionId))
        {
            throw MatrixException.InvalidParam("A session ID is 1 to 255 bytes without control characters");
        }
    }

    /// <summary>Versions are the numbers this server hands out; any other string names no backup.</summary>
    private static long ParseVersion(string version) =>
        long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number.ToString(CultureInfo.InvariantCulture) == version
            ? number
            : throw UnknownVersion();

    private static MatrixException UnknownVersion() => MatrixException.NotFound("Unknown backup version");

    private static MatrixException WrongVersion(string current) =>
        new(ErrorCode.WrongRoomKeysVersion, 403, "Wrong backup version")
        {
            Details = new Dictionary<string, string>(StringComparer.Ordinal) { ["current_version"] = current },
        };
}
