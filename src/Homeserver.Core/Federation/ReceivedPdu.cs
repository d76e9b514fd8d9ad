using Homeserver.Protocol.Events;

namespace Homeserver.Core.Federation;

/// <summary>A PDU as received, after the checks on its format, signatures and hashes: either the event or why it failed.</summary>
public sealed record ReceivedPdu(string? EventId, Pdu? Pdu, string? Error)
{
    public static ReceivedPdu Failed(string? eventId, string error) => new(eventId, null, error);
}
