namespace Homeserver.Core.Rooms.Engine;

/// <summary>The committed events of a write, in the order of its drafts.</summary>
public sealed record WriteResult(string RoomId, IReadOnlyList<string> EventIds);
