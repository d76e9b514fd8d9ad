namespace Homeserver.Core.AccountData;

/// <summary>
/// The port for account data, global (room null) or per room; every write takes a new position in the account-data
/// stream and is published once committed.
/// </summary>
public interface IAccountDataStore
{
    /// <returns>The stream position of the write.</returns>
    Task<long> SetAsync(string userId, string? roomId, string type, string contentJson, CancellationToken cancellationToken);

    Task<string?> GetAsync(string userId, string? roomId, string type, CancellationToken cancellationToken);

    /// <summary>The user's account data written after <paramref name="since"/> up to <paramref name="upTo"/>, latest value per type.</summary>
    Task<IReadOnlyList<AccountDataEntry>> GetChangesAsync(string userId, long since, long upTo, CancellationToken cancellationToken);
}
