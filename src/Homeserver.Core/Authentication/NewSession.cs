namespace Homeserver.Core.Authentication;

/// <param name="ExpiresTs">When the access token stops working; null for tokens that never expire (clients without refresh support).</param>
public sealed record NewSession(string UserId, string DeviceId, string? DeviceDisplayName, string TokenHash, long CreatedTs,
    long? ExpiresTs = null, string? RefreshTokenHash = null);
