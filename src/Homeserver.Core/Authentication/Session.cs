namespace Homeserver.Core.Authentication;

/// <summary>Who a request is from: the user and device an access token was issued to.</summary>
public sealed record Session(string UserId, string DeviceId, bool IsAdmin);
