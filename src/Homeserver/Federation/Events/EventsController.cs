using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Homeserver.Core.Rooms;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Events;

/// <summary>Retrieving events and state (server-server API: event, state, state_ids, event_auth, backfill, get_missing_events, timestamp_to_event).</summary>
public sealed class EventsController(FederationEventReader reader) : FederationApiController
{
    [HttpGet("_matrix/federation/v1/event/{eventId}")]
    public Task<JsonObject> GetEventAsync(string eventId, CancellationToken cancellationToken) =>
        reader.GetEventAsync(Origin, eventId, cancellationToken);

    [HttpGet("_matrix/federation/v1/state/{roomId}")]
    public Task<JsonObject> GetStateAsync(string roomId, [FromQuery(Name = "event_id")] string? eventId, CancellationToken cancellationToken) =>
        reader.GetStateAsync(Origin, roomId, RequireEventId(eventId), idsOnly: false, cancellationToken);

    [HttpGet("_matrix/federation/v1/state_ids/{roomId}")]
    public Task<JsonObject> GetStateIdsAsync(string roomId, [FromQuery(Name = "event_id")] string? eventId, CancellationToken cancellationToken) =>
        reader.GetStateAsync(Origin, roomId, RequireEventId(eventId), idsOnly: true, cancellationToken);

    [HttpGet("_matrix/federation/v1/event_auth/{roomId}/{eventId}")]
    public Task<JsonObject> GetEventAuthAsync(string roomId, string eventId, CancellationToken cancellationToken) =>
        reader.GetEventAuthAsync(Origin, roomId, eventId, cancellationToken);

    [HttpGet("_matrix/federation/v1/backfill/{roomId}")]
    public Task<JsonObject> BackfillAsync(string roomId, [FromQuery] string[]? v, [FromQuery] int? limit, CancellationToken cancellationToken) =>
        reader.BackfillAsync(Origin, roomId, v ?? [], limit ?? 10, cancellationToken);

    [HttpPost("_matrix/federation/v1/get_missing_events/{roomId}")]
    public Task<JsonObject> GetMissingEventsAsync(string roomId, [FromBody] JsonObject body, CancellationToken cancellationToken) =>
        reader.GetMissingEventsAsync(Origin, roomId, body, cancellationToken);

    [HttpGet("_matrix/federation/v1/timestamp_to_event/{roomId}")]
    public Task<JsonObject> TimestampToEventAsync(string roomId, [FromQuery] string? ts, [FromQuery] string? dir, CancellationToken cancellationToken) =>
        reader.TimestampToEventAsync(Origin, roomId, TimestampLookup.Parse(ts, dir), cancellationToken);

    private static string RequireEventId(string? eventId) =>
        eventId ?? throw Core.Errors.MatrixException.MissingParam("event_id is required");
}
