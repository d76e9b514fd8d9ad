namespace Homeserver.Core.Voip;

public sealed record TurnCredentials(string Username, string Password, IReadOnlyList<string> Uris, long Ttl);
