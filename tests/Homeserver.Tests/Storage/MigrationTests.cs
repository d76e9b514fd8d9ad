using Homeserver.Storage;
using Homeserver.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Tests.Storage;

public sealed class MigrationTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task Migrations_build_the_whole_schema_from_empty_and_cover_the_model(DatabaseProvider provider)
    {
        await using var storage = await StorageTestContext.CreateAsync(provider);
        await using var scope = storage.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        // A model change without a migration fails here: run tools/Homeserver.MigrationTool (docs/storage.md).
        Assert.False(db.Database.HasPendingModelChanges());
        // Every table of the model exists and can be queried.
        Assert.Equal(0, await db.Events.CountAsync());
        Assert.Equal(0, await db.StateSnapshotEntries.CountAsync());
        Assert.Equal(0, await db.FederationOutbox.CountAsync());
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Migrating_twice_is_harmless(DatabaseProvider provider)
    {
        await using var storage = await StorageTestContext.CreateAsync(provider);
        await using var scope = storage.CreateScope();

        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);

        Assert.Empty(await scope.ServiceProvider.GetRequiredService<HomeserverDbContext>().Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Sqlite_runs_in_write_ahead_log_mode()
    {
        await using var storage = await StorageTestContext.CreateAsync(DatabaseProvider.Sqlite);
        await using var scope = storage.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();

        var mode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync();

        Assert.Equal("wal", mode);
    }
}
