namespace Homeserver.Federation.OpenId;

public sealed record OpenIdUserInfoResponse(string Sub);
