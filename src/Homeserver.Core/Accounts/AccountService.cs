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
        var userId = ToUserId(localpart);
        var hash = password is null ? null : await PasswordHasher.HashAsync(password);
        var created = await store.TryCreateUserAsync(
            new NewUser(userId, localpart, hash, isAdmin, clock.GetUtcNow().ToUnixTimeMilliseconds()), cancellationToken);
        return created ? userId : throw UserInUse();
    }

    /// <summary>Whether a user name could be registered now (<c>/register/available</c>).</summary>
    /// <exception cref="MatrixException"><c>M_INVALID_USERNAME</c> or <c>M_USER_IN_USE</c>.</exception>
    public async Task CheckAvailableAsync(string localpart, CancellationToken cancellationToken)
    {
        if (await store.GetUserAsync(ToUserId(localpart), cancellationToken) is not null)
        {
            throw UserInUse();
        }
    }

    /// <summary>The user ID for a new local user; only the current grammar is accepted for new accounts.</summary>
    private string ToUserId(string localpart) =>
        UserId.TryParse($"@{localpart}:{server.ServerName}", out var userId) && userId.IsCurrentGrammar
            ? userId.Value
            : throw new MatrixException(ErrorCode.InvalidUsername, 400, "User names may contain only lower-case letters, digits and . _ = - / +");

    private static MatrixException UserInUse() => new(ErrorCode.UserInUse, 400, "That user name is taken");
}
