namespace Homeserver.Client.Authentication;

public sealed record RefreshRequest(string RefreshToken);
