using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Homeserver.Storage;

/// <summary>Brings the schema up to date: at start-up and from the <c>migrate</c> command.</summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, DatabaseMigrator.Provider provider)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>().Database;
        if (provider.Value == DatabaseProvider.Sqlite)
        {
            // WAL lets readers (every /sync) run while the room engine writes; the mode is stored in the file.
            await database.OpenConnectionAsync(cancellationToken);
            await database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        // EF Core takes a database lock while migrating, so several processes may start at once.
        await database.MigrateAsync(cancellationToken);
    }

    /// <summary>The provider in use, for the few places where the databases differ.</summary>
    public sealed record Provider(DatabaseProvider Value);
}
