using Homeserver.Storage;

namespace Homeserver.Configuration;

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite it defaults to <c>homeserver.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }
}
