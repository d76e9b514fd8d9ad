namespace Homeserver.Client.Account;

public sealed record DeactivateResponse(string IdServerUnbindResult);
