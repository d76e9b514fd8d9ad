namespace Homeserver.Client.Authentication;

public sealed record LoginFlow(string Type);
