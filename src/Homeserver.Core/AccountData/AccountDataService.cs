using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms;
using Homeserver.Core.Sync.Streams;

namespace Homeserver.Core.AccountData;

/// <summary>A user's global and per-room account data, and room tags (client-server API, "Client Config", "Room Tagging").</summary>
public sealed class AccountDataService(IAccountDataStore store, RoomAccess access, SyncNotifier notifier)
{
    public const string TagType = "m.tag";
    private const int MaxTagBytes = 255;

    /// <summary>Types the server manages itself; clients change them through their own APIs.</summary>
    private static readonly HashSet<string> ServerManaged = new(StringComparer.Ordinal) { "m.push_rules", "m.fully_read", Push.PushRulesService.ChangesType };

    public Task SetGlobalAsync(Session session, string userId, string type, JsonObject content, CancellationToken cancellationToken) =>
        SetAsync(session, userId, null, type, content, cancellationToken);

    public Task<JsonObject> GetGlobalAsync(Session session, string userId, string type, CancellationToken cancellationToken) =>
        GetAsync(session, userId, null, type, cancellationToken);

    public async Task SetRoomAsync(Session session, string userId, string roomId, string type, JsonObject content, CancellationToken cancellationToken)
    {
        await access.RequireRoomAsync(roomId, cancellationToken);
        await SetAsync(session, userId, roomId, type, content, cancellationToken);
    }

    public async Task<JsonObject> GetRoomAsync(Session session, string userId, string roomId, string type, CancellationToken cancellationToken)
    {
        await access.RequireRoomAsync(roomId, cancellationToken);
        return await GetAsync(session, userId, roomId, type, cancellationToken);
    }

    public async Task<JsonObject> GetTagsAsync(Session session, string userId, string roomId, CancellationToken cancellationToken)
    {
        CheckOwner(session, userId, "read");
        await access.RequireRoomAsync(roomId, cancellationToken);
        return new JsonObject { ["tags"] = await LoadTagsAsync(userId, roomId, cancellationToken) };
    }

    public async Task PutTagAsync(Session session, string userId, string roomId, string tag, JsonObject body, CancellationToken cancellationToken)
    {
        CheckOwner(session, userId, "add");
        await access.RequireRoomAsync(roomId, cancellationToken);
        if (tag.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(tag) > MaxTagBytes)
        {
            throw MatrixException.InvalidParam("A tag is 1 to 255 bytes");
        }

        if (body["order"] is { } order && (order is not JsonValue v || !v.TryGetValue<double>(out var number) || number is < 0 or > 1))
        {
            throw MatrixException.BadJson("order is a number from 0 to 1");
        }

        var tags = await LoadTagsAsync(userId, roomId, cancellationToken);
        tags[tag] = body.DeepClone();
        await WriteAsync(userId, roomId, TagType, new JsonObject { ["tags"] = tags }, cancellationToken);
    }

    public async Task DeleteTagAsync(Session session, string userId, string roomId, string tag, CancellationToken cancellationToken)
    {
        CheckOwner(session, userId, "delete");
        await access.RequireRoomAsync(roomId, cancellationToken);
        var tags = await LoadTagsAsync(userId, roomId, cancellationToken);
        if (tags.Remove(tag))
        {
            await WriteAsync(userId, roomId, TagType, new JsonObject { ["tags"] = tags }, cancellationToken);
        }
    }

    private async Task SetAsync(Session session, string userId, string? roomId, string type, JsonObject content, CancellationToken cancellationToken)
    {
        CheckOwner(session, userId, "add");
        if (string.IsNullOrWhiteSpace(type) || System.Text.Encoding.UTF8.GetByteCount(type) > 255)
        {
            throw MatrixException.InvalidParam("An account data type is 1 to 255 bytes and not blank");
        }

        if (ServerManaged.Contains(type) || (roomId is not null && type == TagType))
        {
            throw new MatrixException(Protocol.Errors.ErrorCode.BadJson, 405, $"{type} is managed by the server and cannot be set here");
        }

        await WriteAsync(userId, roomId, type, content, cancellationToken);
    }

    private async Task WriteAsync(string userId, string? roomId, string type, JsonObject content, CancellationToken cancellationToken)
    {
        await store.SetAsync(userId, roomId, type, content.ToJsonString(), cancellationToken);
        notifier.NotifyUser(userId);
    }

    private async Task<JsonObject> GetAsync(Session session, string userId, string? roomId, string type, CancellationToken cancellationToken)
    {
        CheckOwner(session, userId, "read");
        var json = await store.GetAsync(userId, roomId, type, cancellationToken);
        return json is null ? throw MatrixException.NotFound($"No account data of type {type}") : JsonNode.Parse(json)!.AsObject();
    }

    private async Task<JsonObject> LoadTagsAsync(string userId, string roomId, CancellationToken cancellationToken) =>
        await store.GetAsync(userId, roomId, TagType, cancellationToken) is { } json && JsonNode.Parse(json)?["tags"] is JsonObject tags
            ? (JsonObject)tags.DeepClone()
            : [];

    private static void CheckOwner(Session session, string userId, string verb)
    {
        if (session.UserId != userId)
        {
            throw MatrixException.Forbidden($"Cannot {verb} account data for other users");
        }
    }
}
