using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// Events of one room received from other servers, their format, hashes and signatures already checked. With
/// <see cref="ForwardExcept"/> set (a join, leave or knock handed to us to send out), the engine queues them for the
/// room's other servers, that one excepted. <see cref="StatesBefore"/> holds, by event ID, the state fetched for
/// events whose prev events are missing: it stands in for the state after those prev events. <see cref="AuthChain"/>
/// holds auth events fetched for events that cite ones this server lacks; they are stored as outliers first.
/// </summary>
public sealed record RemoteEvents(string RoomId, IReadOnlyList<Pdu> Events, string? ForwardExcept, IReadOnlyDictionary<string, FetchedState>? StatesBefore = null,
    IReadOnlyList<Pdu>? AuthChain = null);
