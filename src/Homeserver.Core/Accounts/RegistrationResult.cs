namespace Homeserver.Core.Accounts;

/// <summary>The new user, and their first session unless the client asked for none.</summary>
public sealed record RegistrationResult(string UserId, string? AccessToken, string? DeviceId, string? RefreshToken = null, long? ExpiresInMs = null);
