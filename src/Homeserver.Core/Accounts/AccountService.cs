using Homeserver.Core.Errors;
using Homeserver.Core.Server;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Accounts;

/// <summary>Creating local accounts, for the registration API and the administrator's CLI.</summary>
public sealed class AccountService(IAccountStore store, ServerIdentity server, TimeProvider clock)
{
    /// <exception cref="MatrixException"><c>M_INVALID_USERNAME</c> or <c>M_USER_IN_USE</c>.</exception>
    public async Task<string> RegisterAsync(string localpart, string? password, bool isAdmin, CancellationToken cancellationToken)
    {
        if (!UserId.TryParse($"@{localpart}:{server.ServerName}", out var userId) || !userId.IsCurrentGrammar)
        {
            throw new MatrixException(ErrorCode.InvalidUsername, 400,
                "User names may contain only lower-case letters, digits and . _ = - / +");
        }

        var hash = password is null ? null : await PasswordHasher.HashAsync(password);
        var created = await store.TryCreateUserAsync(
            new NewUser(userId.ToString(), localpart, hash, isAdmin, clock.GetUtcNow().ToUnixTimeMilliseconds()), cancellationToken);
        return created
            ? userId.ToString()
            : throw new MatrixException(ErrorCode.UserInUse, 400, "That user name is taken");
    }
}
