using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Core.Rooms.Engine;

/// <summary>
/// A member event of a room this server is not in (an invite from another server, the leave that rejects it): kept
/// as an outlier, outside the DAG, and written as the target's membership so that /sync shows it.
/// </summary>
/// <param name="InviteRoomState">The stripped state the inviting server sent, kept under the event's <c>unsigned</c>.</param>
public sealed record OutlierMembership(string RoomId, RoomVersionRules Rules, Pdu Event, JsonArray? InviteRoomState);
