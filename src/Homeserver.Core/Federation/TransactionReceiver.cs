using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Receipts;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Rooms.Typing;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Federation;

/// <summary>
/// Inbound transactions (server-server API, "Transactions", <c>PUT /send/{txnId}</c>): every PDU through the checks
/// on receipt, grouped per room into the engine, with a result per PDU; the EDUs applied. Receiving a transaction
/// twice is harmless: stored events count as accepted again and the EDUs set what they already set.
/// </summary>
public sealed class TransactionReceiver(IRoomReadStore rooms, PduVerifier verifier, RoomEventWriter writer, TypingTracker typing, ReceiptService receipts)
{
    public const int MaxPdus = 50;
    public const int MaxEdus = 100;
    private static readonly TimeSpan RemoteTypingTimeout = TimeSpan.FromSeconds(30);

    /// <exception cref="MatrixException">The transaction is malformed (400).</exception>
    public async Task<JsonObject> ReceiveAsync(string origin, JsonObject transaction, CancellationToken cancellationToken)
    {
        var pdus = transaction["pdus"] as JsonArray ?? throw MatrixException.BadJson("pdus must be an array");
        var edus = transaction["edus"] switch
        {
            null => [],
            JsonArray array => array,
            _ => throw MatrixException.BadJson("edus must be an array"),
        };
        if (pdus.Count > MaxPdus || edus.Count > MaxEdus)
        {
            throw MatrixException.BadJson($"A transaction holds at most {MaxPdus} PDUs and {MaxEdus} EDUs");
        }

        var results = new JsonObject();
        foreach (var group in pdus.GroupBy(p => p?["room_id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : ""))
        {
            await ReceiveRoomAsync(group.Key, [.. group], results, cancellationToken);
        }

        foreach (var edu in edus.OfType<JsonObject>())
        {
            await ApplyEduAsync(origin, edu, cancellationToken);
        }

        return new JsonObject { ["pdus"] = results };
    }

    private async Task ReceiveRoomAsync(string roomId, IReadOnlyList<JsonNode?> events, JsonObject results, CancellationToken cancellationToken)
    {
        // Events of a room we are not in cannot be checked against any state; a PDU without a usable event ID
        // cannot be answered for either.
        if (await rooms.GetRoomAsync(roomId, cancellationToken) is not { } room || !RoomVersions.TryGet(room.RoomVersion, out var rules))
        {
            foreach (var id in events.Select(e => e?["event_id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null).OfType<string>())
            {
                results[id] = Error("the room is not known here");
            }

            return;
        }

        var received = await verifier.VerifyAsync(events, rules, cancellationToken);
        foreach (var failed in received.Where(r => r.Pdu is null && r.EventId is not null))
        {
            results[failed.EventId!] = Error(failed.Error!);
        }

        var good = received.Where(r => r.Pdu is not null).Select(r => r.Pdu!).ToList();
        if (good.Count == 0)
        {
            return;
        }

        var outcome = await writer.AcceptAsync(new RemoteEvents(roomId, good, ForwardExcept: null), cancellationToken);
        foreach (var id in outcome.EventIds)
        {
            results[id] = new JsonObject();
        }

        foreach (var (id, reason) in outcome.Refused)
        {
            results[id] = Error(reason);
        }
    }

    private async Task ApplyEduAsync(string origin, JsonObject edu, CancellationToken cancellationToken)
    {
        if (edu["edu_type"] is not JsonValue type || !type.TryGetValue<string>(out var eduType) || edu["content"] is not JsonObject content)
        {
            return;
        }

        switch (eduType)
        {
            case "m.typing":
                await ApplyTypingAsync(origin, content, cancellationToken);
                break;
            case "m.receipt":
                await receipts.ReceiveAsync(origin, content, cancellationToken);
                break;
        }
    }

    private async Task ApplyTypingAsync(string origin, JsonObject content, CancellationToken cancellationToken)
    {
        if (content["room_id"] is JsonValue r && r.TryGetValue<string>(out var roomId)
            && content["user_id"] is JsonValue u && u.TryGetValue<string>(out var userId)
            && content["typing"] is JsonValue t && t.TryGetValue<bool>(out var isTyping)
            // A server speaks only for its own users, and only in rooms they are in.
            && LiveRoom.ServerOf(userId) == origin
            && await rooms.GetRoomAsync(roomId, cancellationToken) is { } room
            && await rooms.GetCurrentStateEventAsync(room.RoomNid, EventTypes.Member, userId, cancellationToken) is { } member
            && RoomAccess.ContentString(member, "membership") == "join")
        {
            typing.Set(roomId, userId, isTyping, RemoteTypingTimeout);
        }
    }

    private static JsonObject Error(string reason) => new() { ["error"] = reason };
}
