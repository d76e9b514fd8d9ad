namespace Homeserver.Core.Authentication;

/// <summary>A new session's tokens; the refresh token and lifetime only for clients that support refreshing.</summary>
public sealed record LoginResult(string UserId, string AccessToken, string DeviceId, string? RefreshToken = null, long? ExpiresInMs = null);
