namespace Homeserver.Core.Rooms.Engine;

/// <summary>A client's transaction ID, which is unique per device (client-server API, "Transaction identifiers").</summary>
public readonly record struct TransactionKey(string UserId, string DeviceId, string TransactionId);
