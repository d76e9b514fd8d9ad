namespace Homeserver.Core.AccountData;

/// <summary>The port for account data; every write takes a new position in the account-data stream.</summary>
public interface IAccountDataStore
{
    Task SetGlobalAsync(string userId, string type, string contentJson, CancellationToken cancellationToken);

    Task<string?> GetGlobalAsync(string userId, string type, CancellationToken cancellationToken);
}
