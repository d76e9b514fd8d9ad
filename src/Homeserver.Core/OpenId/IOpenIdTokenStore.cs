namespace Homeserver.Core.OpenId;

/// <summary>OpenID tokens by the SHA-256 of the token, like access tokens.</summary>
public interface IOpenIdTokenStore
{
    /// <summary>Stores a token, and forgets the tokens that expired before <paramref name="nowTs"/>.</summary>
    Task AddAsync(string tokenHash, string userId, long expiresTs, long nowTs, CancellationToken cancellationToken);

    /// <summary>The owner of a token that has not expired, while the owner's account is active.</summary>
    Task<string?> FindUserAsync(string tokenHash, long nowTs, CancellationToken cancellationToken);
}
