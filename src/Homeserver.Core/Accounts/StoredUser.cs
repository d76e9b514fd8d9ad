namespace Homeserver.Core.Accounts;

public sealed record StoredUser(string UserId, string? PasswordHash, bool IsAdmin, bool IsDeactivated, long CreatedTs);
