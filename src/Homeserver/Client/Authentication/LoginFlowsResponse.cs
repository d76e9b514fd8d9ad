namespace Homeserver.Client.Authentication;

public sealed record LoginFlowsResponse(IReadOnlyList<LoginFlow> Flows);
