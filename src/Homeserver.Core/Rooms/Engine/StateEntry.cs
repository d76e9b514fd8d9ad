using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>One entry of a room's state held in memory: the event, parsed, and the numeric IDs it is stored under.</summary>
public sealed record StateEntry(long StateKeyNid, long EventNid, Pdu Pdu);
