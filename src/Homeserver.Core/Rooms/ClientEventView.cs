using System.Text.Json;
using System.Text.Json.Serialization;

namespace Homeserver.Core.Rooms;

/// <summary>
/// One reader's client form of an event: the form shared by every reader (<paramref name="Client"/>, without
/// <c>unsigned</c>) and what is the reader's own. Written by <see cref="ClientEventViewConverter"/>.
/// </summary>
[JsonConverter(typeof(ClientEventViewConverter))]
public readonly record struct ClientEventView(JsonElement Client, string? RoomId, long AgeMs, string? RedactedBy, string? TransactionId);
