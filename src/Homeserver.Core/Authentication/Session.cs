namespace Homeserver.Core.Authentication;

/// <summary>Who a request is from: the user and device an access token was issued to.</summary>
/// <param name="ReplacesPrevious">The token came from a refresh and is used for the first time.</param>
public sealed record Session(string UserId, string DeviceId, bool IsAdmin, long? ExpiresTs = null, bool ReplacesPrevious = false);
