namespace Homeserver.Core.Authentication;

public sealed record LoginResult(string UserId, string AccessToken, string DeviceId);
