namespace Homeserver.Client.Sync;

public sealed record FilterCreatedResponse(string FilterId);
