using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>An event the writer has in hand during a batch, parsed, with the numeric IDs it is stored under.</summary>
internal sealed record ParsedEvent(long EventNid, Pdu Pdu, long? StateKeyNid, bool IsOutlier);
