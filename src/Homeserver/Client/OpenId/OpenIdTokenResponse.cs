namespace Homeserver.Client.OpenId;

public sealed record OpenIdTokenResponse(string AccessToken, string TokenType, string MatrixServerName, long ExpiresIn);
