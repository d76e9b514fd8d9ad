using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Homeserver.Storage.Rooms;

/// <summary>
/// Hand-written statements for the room engine's commit. Building them costs a fraction of what change tracking and
/// EF Core's SQL generation cost per row, and on PostgreSQL the whole batch goes in one round trip (a DbBatch). Rows
/// go as multi-row INSERTs, split to stay under both databases' limits on parameters per statement.
/// </summary>
internal sealed class StatementBatch(HomeserverDbContext db)
{
    // SQLite allows 32,766 parameters per statement, PostgreSQL 65,535.
    private const int MaxParameters = 30_000;

    private readonly bool _positional = db.Database.IsNpgsql();
    private readonly List<(string Sql, object?[] Values)> _statements = [];

    /// <summary>
    /// Whether the statements are all or nothing without a transaction of their own: PostgreSQL runs a batch that has
    /// a single Sync as one implicit transaction, and commits it before answering.
    /// </summary>
    public bool IsAtomicAlone => _positional;

    /// <summary>Placeholders <c>{first}</c> to <c>{first + count - 1}</c>, for an IN list.</summary>
    public static string List(int first, int count) => string.Join(", ", Enumerable.Range(first, count).Select(i => $"{{{i}}}"));

    /// <param name="onConflict">What follows <c>ON CONFLICT</c>, for an upsert; each key may then come once.</param>
    public void Insert<T>(string table, string[] columns, IEnumerable<T> rows, Func<T, object?[]> values, string? onConflict = null)
    {
        var perStatement = MaxParameters / columns.Length;
        var chunk = new List<object?[]>(Math.Min(perStatement, 64));
        foreach (var row in rows)
        {
            chunk.Add(values(row));
            if (chunk.Count == perStatement)
            {
                AddInsert(table, columns, chunk, onConflict);
                chunk = [];
            }
        }

        if (chunk.Count > 0)
        {
            AddInsert(table, columns, chunk, onConflict);
        }
    }

    /// <summary>A statement whose parameters are written <c>{0}</c>, <c>{1}</c> … in the order of the values.</summary>
    public void Execute(string sql, params object?[] values) =>
        _statements.Add((string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, [.. values.Select((_, i) => Placeholder(i))]), values));

    /// <summary>Runs the statements in the context's transaction, or, where <see cref="IsAtomicAlone"/>, without one.</summary>
    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (_statements.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (transaction is null && !IsAtomicAlone)
        {
            throw new InvalidOperationException("These statements need a transaction");
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await RunAsync(db.Database.GetDbConnection(), transaction, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        _statements.Clear();
    }

    private async Task RunAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var timeout = db.Database.GetCommandTimeout();
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            if (timeout is { } seconds)
            {
                batch.Timeout = seconds;
            }

            foreach (var (sql, values) in _statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = sql;
                foreach (var value in values)
                {
                    var parameter = command.CreateParameter();
                    parameter.Value = value ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            foreach (var (sql, values) in _statements)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                if (timeout is { } seconds)
                {
                    command.CommandTimeout = seconds;
                }

                for (var i = 0; i < values.Length; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = Placeholder(i);
                    parameter.Value = values[i] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private void AddInsert(string table, string[] columns, List<object?[]> rows, string? onConflict)
    {
        var sql = new StringBuilder("INSERT INTO ").Append(table).Append(" (").AppendJoin(", ", columns).Append(") VALUES ");
        var values = new object?[rows.Count * columns.Length];
        var n = 0;
        foreach (var row in rows)
        {
            if (row.Length != columns.Length)
            {
                throw new ArgumentException($"A row of {table} has {row.Length} values for {columns.Length} columns");
            }

            sql.Append(n == 0 ? "(" : ", (");
            for (var c = 0; c < row.Length; c++)
            {
                sql.Append(c == 0 ? "" : ", ").Append(Placeholder(n));
                values[n++] = row[c];
            }

            sql.Append(')');
        }

        if (onConflict is not null)
        {
            sql.Append(" ON CONFLICT ").Append(onConflict);
        }

        _statements.Add((sql.ToString(), values));
    }

    // Npgsql binds unnamed parameters to $1, $2 … without rewriting the SQL; Microsoft.Data.Sqlite binds by name.
    private string Placeholder(int index) => _positional ? "$" + (index + 1) : "@p" + index;
}
