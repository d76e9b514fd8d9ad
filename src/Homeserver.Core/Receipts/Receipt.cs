namespace Homeserver.Core.Receipts;

/// <summary>A read receipt; <see cref="ThreadId"/> is empty for an unthreaded receipt.</summary>
public sealed record Receipt(string RoomId, string UserId, string Type, string ThreadId, string EventId, long Ts);
