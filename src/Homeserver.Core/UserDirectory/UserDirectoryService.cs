using Homeserver.Core.Errors;

namespace Homeserver.Core.UserDirectory;

/// <summary>
/// The user directory (client-server API, "User directory"). It shows users who share a room with the searcher and,
/// when configured, every local user. Rooms are not served yet, so without <c>SearchAllUsers</c> the directory
/// finds no one.
/// </summary>
public sealed class UserDirectoryService(IUserDirectoryStore store, UserDirectoryPolicy policy)
{
    public const int DefaultLimit = 10;
    private const int MaxLimit = 100;

    public async Task<(IReadOnlyList<DirectoryUser> Results, bool Limited)> SearchAsync(string term, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 0)
        {
            throw MatrixException.InvalidParam("limit must not be negative");
        }

        var wanted = Math.Min(limit ?? DefaultLimit, MaxLimit);
        if (!policy.SearchAllUsers || wanted == 0 || string.IsNullOrWhiteSpace(term))
        {
            return ([], false);
        }

        // One more than asked for tells whether the list was cut.
        var found = await store.SearchLocalUsersAsync(term.Trim(), wanted + 1, cancellationToken);
        return ([.. found.Take(wanted)], found.Count > wanted);
    }
}
