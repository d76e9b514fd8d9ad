namespace Homeserver.Client.UserDirectory;

public sealed record UserDirectoryResult(string UserId, string? DisplayName, string? AvatarUrl);
