using Homeserver.Core.Sync.Streams;
using System.Text.Json.Nodes;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;

namespace Homeserver.Core.AccountData;

/// <summary>A user's global account data (client-server API, "Client Config").</summary>
public sealed class AccountDataService(IAccountDataStore store, SyncNotifier notifier)
{
    /// <summary>Types the server manages itself; clients change them through their own APIs.</summary>
    private static readonly HashSet<string> ServerManaged = new(StringComparer.Ordinal) { "m.push_rules", "m.fully_read", Push.PushRulesService.ChangesType };

    public async Task SetGlobalAsync(Session session, string userId, string type, JsonObject content, CancellationToken cancellationToken)
    {
        CheckOwner(session, userId, "add");
        if (string.IsNullOrWhiteSpace(type) || System.Text.Encoding.UTF8.GetByteCount(type) > 255)
        {
            throw MatrixException.InvalidParam("An account data type is 1 to 255 bytes and not blank");
        }

        if (ServerManaged.Contains(type))
        {
            throw new MatrixException(Protocol.Errors.ErrorCode.BadJson, 405, $"{type} is managed by the server and cannot be set here");
        }

        await store.SetAsync(userId, null, type, content.ToJsonString(), cancellationToken);
        notifier.NotifyUser(userId);
    }

    public async Task<JsonObject> GetGlobalAsync(Session session, string userId, string type, CancellationToken cancellationToken)
    {
        CheckOwner(session, userId, "read");
        var json = await store.GetAsync(userId, null, type, cancellationToken);
        return json is null ? throw MatrixException.NotFound($"No account data of type {type}") : JsonNode.Parse(json)!.AsObject();
    }

    private static void CheckOwner(Session session, string userId, string verb)
    {
        if (session.UserId != userId)
        {
            throw MatrixException.Forbidden($"Cannot {verb} account data for other users");
        }
    }
}
