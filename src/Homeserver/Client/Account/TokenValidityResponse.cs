namespace Homeserver.Client.Account;

public sealed record TokenValidityResponse(bool Valid);
