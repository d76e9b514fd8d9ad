namespace Homeserver.Core.AccountData;

/// <summary>One account data value; <see cref="RoomId"/> is null for global account data.</summary>
public sealed record AccountDataEntry(string? RoomId, string Type, string ContentJson);
