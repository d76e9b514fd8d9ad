using System.Text.Json.Nodes;
using Homeserver.Core.Profile;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Profile;

internal sealed class ProfileStore(HomeserverDbContext db) : IProfileStore
{
    public async Task<JsonObject?> GetProfileAsync(string userId, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.UserId == userId && !u.IsDeactivated, cancellationToken))
        {
            return null;
        }

        var profile = new JsonObject();
        await foreach (var field in db.ProfileFields.AsNoTracking().Where(f => f.UserId == userId).OrderBy(f => f.Key).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            profile[field.Key] = JsonNode.Parse(field.ValueJson);
        }

        return profile;
    }

    public async Task SetFieldAsync(string userId, string key, JsonNode? value, CancellationToken cancellationToken)
    {
        var json = value?.ToJsonString() ?? "null";
        // Both databases speak this upsert, so a concurrent write of the same field cannot fail on the key.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO profile_fields (user_id, key, value_json) VALUES ({userId}, {key}, {json}) ON CONFLICT (user_id, key) DO UPDATE SET value_json = excluded.value_json",
            cancellationToken);
    }

    public Task DeleteFieldAsync(string userId, string key, CancellationToken cancellationToken) =>
        db.ProfileFields.Where(f => f.UserId == userId && f.Key == key).ExecuteDeleteAsync(cancellationToken);
}
