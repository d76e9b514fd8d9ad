namespace Homeserver.Client.Authentication;

public sealed record LoginResponse(string UserId, string AccessToken, string DeviceId, string? RefreshToken = null, long? ExpiresInMs = null);
