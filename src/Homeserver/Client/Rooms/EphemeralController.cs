using System.Text.Json.Nodes;
using Homeserver.Core.Json;
using Homeserver.Core.Receipts;
using Homeserver.Core.Rooms.Typing;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Rooms;

/// <summary>
/// <c>PUT /rooms/{roomId}/typing/{userId}</c>, <c>POST /rooms/{roomId}/receipt/{receiptType}/{eventId}</c> and
/// <c>POST /rooms/{roomId}/read_markers</c> (client-server API, "Typing Notifications", "Receipts", "Read markers").
/// </summary>
[Authorize]
public sealed class EphemeralController(TypingService typing, ReceiptService receipts) : ClientApiController
{
    [HttpPut("_matrix/client/v3/rooms/{roomId}/typing/{userId}")]
    public async Task<EmptyResponse> TypingAsync(string roomId, string userId, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await typing.SetAsync(HttpContext.GetSession(), roomId, userId, body, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}")]
    public async Task<EmptyResponse> ReceiptAsync(string roomId, string receiptType, string eventId, [FromBody] JsonObject? body, CancellationToken cancellationToken)
    {
        await receipts.SendAsync(HttpContext.GetSession(), roomId, receiptType, eventId, body?.OptionalString("thread_id"), cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/rooms/{roomId}/read_markers")]
    public async Task<EmptyResponse> ReadMarkersAsync(string roomId, [FromBody] JsonObject body, CancellationToken cancellationToken)
    {
        await receipts.SetReadMarkersAsync(HttpContext.GetSession(), roomId, body, cancellationToken);
        return EmptyResponse.Instance;
    }
}
