using Homeserver.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Homeserver.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one test: a new SQLite file in a temporary directory, or a new PostgreSQL database
/// on the server named by HOMESERVER_TEST_POSTGRES (set by scripts/with-postgres.sh) or, where a Docker engine
/// answers, in a PostgreSQL container shared by the test run. Dropped or deleted on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> SharedContainer = new(StartContainerAsync);
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;
    private readonly string? _directory;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? adminConnectionString, string? databaseName, string? directory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
        _directory = directory;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var directory = Directory.CreateTempSubdirectory("homeserver-sqlite-").FullName;
            return new TestDatabase(provider, $"Data Source={Path.Combine(directory, "homeserver.db")}", null, null, directory);
        }

        var admin = Environment.GetEnvironmentVariable("HOMESERVER_TEST_POSTGRES") ?? await SharedContainer.Value;
        var name = "hs_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new TestDatabase(provider, connectionString, admin, name, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
            return;
        }

        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartContainerAsync()
    {
        try
        {
            var container = new PostgreSqlBuilder("postgres:17").Build();
            await container.StartAsync();
            return container.GetConnectionString();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                "No PostgreSQL for the tests: HOMESERVER_TEST_POSTGRES is not set and no Docker engine answers. " +
                "Run the tests through scripts/test.sh, which starts a throwaway PostgreSQL.", e);
        }
    }
}
