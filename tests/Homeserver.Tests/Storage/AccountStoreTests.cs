using Homeserver.Core.Accounts;
using Homeserver.Storage;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Storage;

public sealed class AccountStoreTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task A_user_is_created_once_and_read_back(DatabaseProvider provider)
    {
        await using var storage = await StorageTestContext.CreateAsync(provider);
        var user = new NewUser("@frank:localhost", "frank", "hash", IsAdmin: true, CreatedTs: 1234);

        bool first, second;
        await using (var scope = storage.CreateScope())
        {
            first = await scope.ServiceProvider.GetRequiredService<IAccountStore>().TryCreateUserAsync(user, CancellationToken.None);
        }

        await using (var scope = storage.CreateScope())
        {
            second = await scope.ServiceProvider.GetRequiredService<IAccountStore>().TryCreateUserAsync(user with { PasswordHash = "other" }, CancellationToken.None);
        }

        await using var reader = storage.CreateScope();
        var stored = await reader.ServiceProvider.GetRequiredService<IAccountStore>().GetUserAsync("@frank:localhost", CancellationToken.None);
        var missing = await reader.ServiceProvider.GetRequiredService<IAccountStore>().GetUserAsync("@Frank:localhost", CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(new StoredUser("@frank:localhost", "hash", true, false, 1234), stored);
        Assert.Null(missing);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Concurrent_creates_of_one_user_have_exactly_one_winner(DatabaseProvider provider)
    {
        await using var storage = await StorageTestContext.CreateAsync(provider);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            await using var scope = storage.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<IAccountStore>()
                .TryCreateUserAsync(new NewUser("@grace:localhost", "grace", $"hash{i}", false, i), CancellationToken.None);
        }));

        Assert.Single(results, won => won);
    }
}
