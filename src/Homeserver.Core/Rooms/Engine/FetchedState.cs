using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// The state before an event whose prev events could not be had, as another server answered <c>/state_ids</c>:
/// the IDs of the state events, and those of them and of their auth chain that were not stored here, fetched and
/// checked (format, signatures, hashes) like any received PDU.
/// </summary>
public sealed record FetchedState(IReadOnlyList<string> StateIds, IReadOnlyList<Pdu> Fetched);
