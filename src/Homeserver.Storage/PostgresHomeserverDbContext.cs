using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage;

/// <summary>The schema on PostgreSQL, with its own migrations (Migrations/Postgres).</summary>
public sealed class PostgresHomeserverDbContext(DbContextOptions<PostgresHomeserverDbContext> options) : HomeserverDbContext(options);
