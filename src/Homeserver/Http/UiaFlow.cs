namespace Homeserver.Http;

public sealed record UiaFlow(IReadOnlyList<string> Stages);
