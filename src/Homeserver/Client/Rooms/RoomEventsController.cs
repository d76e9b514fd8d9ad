using System.Text.Json.Nodes;
using Homeserver.Core.Json;
using Homeserver.Core.Rooms;
using Homeserver.Core.Sync.Filters;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Rooms;

/// <summary>
/// Sending and reading room events (client-server API, "Room events", "Redactions"): <c>/send</c>, <c>/state</c>,
/// <c>/redact</c>, <c>/event</c>, <c>/members</c>, <c>/joined_members</c>, <c>/messages</c>, <c>/context</c> and
/// <c>/timestamp_to_event</c>.
/// </summary>
[Authorize]
public sealed class RoomEventsController(RoomEventService events) : ClientApiController
{
    [HttpPut("_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}")]
    public async Task<EventIdResponse> SendAsync(string roomId, string eventType, string txnId, [FromBody] JsonObject content, CancellationToken cancellationToken) =>
        new(await events.SendAsync(HttpContext.GetSession(), roomId, eventType, txnId, content, cancellationToken));

    [HttpPut("_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey?}")]
    public async Task<EventIdResponse> SetStateAsync(string roomId, string eventType, string? stateKey, [FromBody] JsonObject content, CancellationToken cancellationToken) =>
        new(await events.SetStateAsync(HttpContext.GetSession(), roomId, eventType, stateKey ?? "", content, cancellationToken));

    [HttpGet("_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey?}")]
    public Task<JsonNode> GetStateEventAsync(string roomId, string eventType, string? stateKey, [FromQuery] string? format, CancellationToken cancellationToken) =>
        events.GetStateEventAsync(HttpContext.GetSession(), roomId, eventType, stateKey ?? "", format == "event", cancellationToken);

    [HttpGet("_matrix/client/v3/rooms/{roomId}/state")]
    public Task<JsonArray> GetStateAsync(string roomId, CancellationToken cancellationToken) =>
        events.GetStateAsync(HttpContext.GetSession(), roomId, cancellationToken);

    [HttpPut("_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}")]
    public async Task<EventIdResponse> RedactAsync(string roomId, string eventId, string txnId, [FromBody] JsonObject body, CancellationToken cancellationToken) =>
        new(await events.RedactAsync(HttpContext.GetSession(), roomId, eventId, txnId, body.OptionalString("reason"), cancellationToken));

    [HttpGet("_matrix/client/v3/rooms/{roomId}/event/{eventId}")]
    public Task<JsonObject> GetEventAsync(string roomId, string eventId, CancellationToken cancellationToken) =>
        events.GetEventAsync(HttpContext.GetSession(), roomId, eventId, cancellationToken);

    [HttpGet("_matrix/client/v3/rooms/{roomId}/members")]
    public Task<JsonObject> GetMembersAsync(string roomId, [FromQuery] string? at, [FromQuery] string? membership,
        [FromQuery(Name = "not_membership")] string? notMembership, CancellationToken cancellationToken) =>
        events.GetMembersAsync(HttpContext.GetSession(), roomId, at, membership, notMembership, cancellationToken);

    [HttpGet("_matrix/client/v3/rooms/{roomId}/joined_members")]
    public Task<JsonObject> GetJoinedMembersAsync(string roomId, CancellationToken cancellationToken) =>
        events.GetJoinedMembersAsync(HttpContext.GetSession(), roomId, cancellationToken);

    [HttpGet("_matrix/client/v3/rooms/{roomId}/messages")]
    public Task<JsonObject> GetMessagesAsync(string roomId, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? dir,
        [FromQuery] string? limit, [FromQuery] string? filter, CancellationToken cancellationToken) =>
        events.GetMessagesAsync(HttpContext.GetSession(), roomId, from, to, dir, QueryValues.Limit(limit), QueryValues.RoomEventFilter(filter), cancellationToken);

    [HttpGet("_matrix/client/v3/rooms/{roomId}/context/{eventId}")]
    public Task<JsonObject> GetContextAsync(string roomId, string eventId, [FromQuery] string? limit, [FromQuery] string? filter, CancellationToken cancellationToken) =>
        events.GetContextAsync(HttpContext.GetSession(), roomId, eventId, QueryValues.Limit(limit), QueryValues.RoomEventFilter(filter), cancellationToken);

    [HttpGet("_matrix/client/v1/rooms/{roomId}/timestamp_to_event")]
    public Task<JsonObject> TimestampToEventAsync(string roomId, [FromQuery] string? ts, [FromQuery] string? dir, CancellationToken cancellationToken) =>
        events.TimestampToEventAsync(HttpContext.GetSession(), roomId, TimestampLookup.Parse(ts, dir), cancellationToken);
}
