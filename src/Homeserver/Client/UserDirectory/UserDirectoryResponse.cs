namespace Homeserver.Client.UserDirectory;

public sealed record UserDirectoryResponse(IReadOnlyList<UserDirectoryResult> Results, bool Limited);
