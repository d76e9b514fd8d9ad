using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// The full state before our join of a room joined with partial state, as a resident server answered <c>/state</c>
/// at the join, with its auth chain, every event checked.
/// </summary>
public sealed record RoomStateCompletion(string RoomId, IReadOnlyList<Pdu> AuthChain, IReadOnlyList<Pdu> State);
