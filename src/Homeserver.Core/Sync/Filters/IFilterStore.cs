namespace Homeserver.Core.Sync.Filters;

/// <summary>The port for stored filters.</summary>
public interface IFilterStore
{
    /// <summary>Stores the filter under the user's next filter ID and returns that ID.</summary>
    Task<long> AddFilterAsync(string userId, string filterJson, CancellationToken cancellationToken);

    Task<string?> GetFilterAsync(string userId, long filterId, CancellationToken cancellationToken);
}
