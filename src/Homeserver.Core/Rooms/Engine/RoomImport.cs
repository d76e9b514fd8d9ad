using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// A room joined through another server (server-server API, "Joining rooms"): the state before our join and its
/// auth chain, as that server answered <c>send_join</c>, every event checked, and our join event. With
/// <see cref="PartialServers"/> set, that server left the members out of the state and named the servers in the room.
/// </summary>
public sealed record RoomImport(string RoomId, RoomVersionRules Rules, IReadOnlyList<Pdu> AuthChain, IReadOnlyList<Pdu> State, Pdu Join,
    IReadOnlyList<string>? PartialServers = null);
