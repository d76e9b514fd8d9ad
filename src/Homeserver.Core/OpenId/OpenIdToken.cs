namespace Homeserver.Core.OpenId;

/// <summary>A token a user hands to a third party, which asks this server whose it is.</summary>
public sealed record OpenIdToken(string AccessToken, string MatrixServerName, long ExpiresInSeconds);
