namespace Homeserver.Core.Accounts;

public sealed record NewUser(string UserId, string Localpart, string? PasswordHash, bool IsAdmin, long CreatedTs);
