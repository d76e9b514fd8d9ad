using System.Security.Cryptography;
using Homeserver.Core.Errors;

namespace Homeserver.Core.Accounts;

/// <summary>Registration tokens (client-server API, "Token-authenticated registration"), created by administrators.</summary>
public sealed class RegistrationTokens(IRegistrationTokenStore store, TimeProvider clock)
{
    // The spec's token grammar: 1 to 64 characters from [A-Za-z0-9._~-].
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-";

    /// <summary>Creates a token (a random one when none is given) and returns it.</summary>
    /// <exception cref="MatrixException"><c>M_INVALID_PARAM</c> for a token of the wrong form or one that exists.</exception>
    public async Task<string> CreateAsync(string? token, int? usesAllowed, TimeSpan? validFor, CancellationToken cancellationToken)
    {
        token ??= RandomNumberGenerator.GetString(Alphabet, 16);
        if (token.Length is 0 or > 64 || token.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            throw MatrixException.InvalidParam("A token is 1 to 64 characters from A-Z a-z 0-9 . _ ~ -");
        }

        if (usesAllowed is < 0)
        {
            throw MatrixException.InvalidParam("The number of uses must not be negative");
        }

        var now = clock.GetUtcNow();
        long? expiry = validFor is { } span ? (now + span).ToUnixTimeMilliseconds() : null;
        return await store.TryCreateAsync(token, usesAllowed, expiry, now.ToUnixTimeMilliseconds(), cancellationToken)
            ? token
            : throw MatrixException.InvalidParam("That token exists already");
    }

    public Task<bool> IsValidAsync(string token, CancellationToken cancellationToken) =>
        store.IsValidAsync(token, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);

    public Task<bool> TryUseAsync(string token, CancellationToken cancellationToken) =>
        store.TryUseAsync(token, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
}
