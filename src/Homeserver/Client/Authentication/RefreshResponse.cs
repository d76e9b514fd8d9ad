namespace Homeserver.Client.Authentication;

public sealed record RefreshResponse(string AccessToken, string? RefreshToken, long? ExpiresInMs);
