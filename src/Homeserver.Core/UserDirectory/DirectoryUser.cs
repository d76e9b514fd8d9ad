namespace Homeserver.Core.UserDirectory;

public sealed record DirectoryUser(string UserId, string? DisplayName, string? AvatarUrl);
