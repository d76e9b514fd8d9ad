using Homeserver.Storage;
using Homeserver.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Homeserver.Tests.Storage;

/// <summary>
/// What the server adds to a PostgreSQL connection string: repeated statements prepared once per connection and no
/// reset of pooled connections, unless the operator's string says otherwise (docs/configuration.md).
/// </summary>
public sealed class PostgresConnectionTests
{
    [Theory]
    [InlineData("", 100, true)]
    [InlineData(";Max Auto Prepare=0;No Reset On Close=false", 0, false)]
    [InlineData(";MaxAutoPrepare=0", 0, true)]
    public async Task Repeated_statements_are_prepared_unless_the_connection_string_says_otherwise(string settings, int maxAutoPrepare, bool noResetOnClose)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddHomeserverStorage(DatabaseProvider.Postgres, database.ConnectionString + settings)
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>();

        var inForce = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        Assert.Equal(maxAutoPrepare, inForce.MaxAutoPrepare);
        Assert.Equal(noResetOnClose, inForce.NoResetOnClose);

        // On one connection, a query run often enough is prepared there, or not at all.
        await db.Database.OpenConnectionAsync();
        for (var i = 0; i < 10; i++)
        {
            await db.Events.CountAsync(e => e.RoomNid == i);
        }

        var prepared = await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_prepared_statements").SingleAsync();
        Assert.Equal(maxAutoPrepare > 0, prepared > 0);
    }
}
