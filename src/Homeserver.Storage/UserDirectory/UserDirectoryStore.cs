using System.Text.Json.Nodes;
using Homeserver.Core.UserDirectory;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.UserDirectory;

internal sealed class UserDirectoryStore(HomeserverDbContext db) : IUserDirectoryStore
{
    public async Task<IReadOnlyList<DirectoryUser>> SearchLocalUsersAsync(string term, int limit, CancellationToken cancellationToken)
    {
        // LOWER(...) LIKE on both databases: PostgreSQL's LIKE is case-sensitive, SQLite's is not.
        var pattern = "%" + term.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var rows = await (
                from user in db.Users.AsNoTracking()
                where !user.IsDeactivated
                let displayName = db.ProfileFields.Where(f => f.UserId == user.UserId && f.Key == "displayname").Select(f => f.ValueJson).FirstOrDefault()
                let avatarUrl = db.ProfileFields.Where(f => f.UserId == user.UserId && f.Key == "avatar_url").Select(f => f.ValueJson).FirstOrDefault()
                where EF.Functions.Like(user.UserId.ToLower(), pattern, "\\")
                      || (displayName != null && EF.Functions.Like(displayName.ToLower(), pattern, "\\"))
                orderby user.UserId
                select new { user.UserId, displayName, avatarUrl })
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new DirectoryUser(r.UserId, JsonString(r.displayName), JsonString(r.avatarUrl)))];
    }

    /// <summary>Profile fields are stored as JSON; the directory shows only string values.</summary>
    private static string? JsonString(string? json) =>
        json is not null && JsonNode.Parse(json) is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
