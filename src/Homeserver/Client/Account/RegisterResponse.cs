namespace Homeserver.Client.Account;

/// <summary>The new user; the token and device are absent when the client asked for <c>inhibit_login</c>.</summary>
public sealed record RegisterResponse(string UserId, string? AccessToken, string? DeviceId, string? RefreshToken = null, long? ExpiresInMs = null);
