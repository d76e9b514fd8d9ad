namespace Homeserver.Client.Account;

public sealed record WhoAmIResponse(string UserId, string DeviceId, bool IsGuest);
