namespace Homeserver.Client.Account;

public sealed record AvailableResponse(bool Available);
