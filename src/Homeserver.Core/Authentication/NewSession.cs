namespace Homeserver.Core.Authentication;

public sealed record NewSession(string UserId, string DeviceId, string? DeviceDisplayName, string TokenHash, long CreatedTs);
