using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage;

/// <summary>The schema on SQLite, with its own migrations (Migrations/Sqlite).</summary>
public sealed class SqliteHomeserverDbContext(DbContextOptions<SqliteHomeserverDbContext> options) : HomeserverDbContext(options);
