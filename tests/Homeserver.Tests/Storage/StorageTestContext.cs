using Homeserver.Storage;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Storage;

/// <summary>A migrated database and the storage services over it, without the HTTP host.</summary>
internal sealed class StorageTestContext : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly ServiceProvider _services;

    private StorageTestContext(TestDatabase database, ServiceProvider services)
    {
        _database = database;
        _services = services;
    }

    public static async Task<StorageTestContext> CreateAsync(DatabaseProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddHomeserverStorage(provider, database.ConnectionString)
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        return new StorageTestContext(database, services);
    }

    public AsyncServiceScope CreateScope() => _services.CreateAsyncScope();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }
}
