using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Homeserver.Storage;

/// <summary>Recognises a unique-constraint violation on either database: the loser of a race to insert.</summary>
internal static class UniqueViolation
{
    private const int SqliteConstraint = 19;

    public static bool Is(DbUpdateException exception) => exception.InnerException is { } inner && IsProviderException(inner);

    /// <summary>For raw SQL, where the provider's exception arrives without EF's wrapper.</summary>
    public static bool IsProviderException(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint,
        _ => false,
    };
}
