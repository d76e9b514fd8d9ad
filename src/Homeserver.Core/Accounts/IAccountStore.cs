namespace Homeserver.Core.Accounts;

/// <summary>The port through which account use cases read and write local user accounts.</summary>
public interface IAccountStore
{
    /// <summary>Creates the account; false when a user with that ID already exists.</summary>
    Task<bool> TryCreateUserAsync(NewUser user, CancellationToken cancellationToken);

    Task<StoredUser?> GetUserAsync(string userId, CancellationToken cancellationToken);

    Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Marks the account deactivated and removes its password, devices and access tokens, in one transaction.</summary>
    Task DeactivateAsync(string userId, CancellationToken cancellationToken);
}
