namespace Homeserver.Core.Accounts;

/// <summary>The port for registration tokens.</summary>
public interface IRegistrationTokenStore
{
    /// <summary>False when the token exists already.</summary>
    Task<bool> TryCreateAsync(string token, int? usesAllowed, long? expiryTs, long createdTs, CancellationToken cancellationToken);

    /// <summary>Whether the token exists, has not expired at <paramref name="now"/> and has uses left.</summary>
    Task<bool> IsValidAsync(string token, long now, CancellationToken cancellationToken);

    /// <summary>Takes one use of a valid token, atomically; false when it is not valid (any more).</summary>
    Task<bool> TryUseAsync(string token, long now, CancellationToken cancellationToken);
}
