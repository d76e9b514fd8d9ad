using Homeserver.Core.Sync.Streams;
using Homeserver.Core.ToDevice;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.ToDevice;

internal sealed class ToDeviceStore(HomeserverDbContext db, StreamPositions positions) : IToDeviceStore
{
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> DevicesOfAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        }

        var rows = await db.Devices.AsNoTracking()
            .Where(d => userIds.Contains(d.UserId))
            .Select(d => new { d.UserId, d.DeviceId })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r.DeviceId)], StringComparer.Ordinal);
    }

    public async Task<bool> SendAsync(string senderUserId, string senderDeviceId, string transactionId, IReadOnlyList<ToDeviceMessage> messages, long nowTs, CancellationToken cancellationToken)
    {
        if (await db.ToDeviceTransactions.AnyAsync(t => t.UserId == senderUserId && t.DeviceId == senderDeviceId && t.TransactionId == transactionId, cancellationToken))
        {
            return false;
        }

        using var lease = await positions.BeginWriteAsync(StreamName.ToDevice, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            db.ToDeviceTransactions.Add(new ToDeviceTransactionEntity { UserId = senderUserId, DeviceId = senderDeviceId, TransactionId = transactionId, CreatedTs = nowTs });
            db.ToDeviceMessages.AddRange(messages.Select(m => new ToDeviceMessageEntity
            {
                StreamPosition = lease.Next(),
                UserId = m.UserId,
                DeviceId = m.DeviceId,
                Sender = m.Sender,
                Type = m.Type,
                Content = m.ContentJson,
            }));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            lease.Publish();
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // The same transaction, retried while the first attempt was still running: that one delivers it.
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task<IReadOnlyList<StoredToDeviceMessage>> ReadAsync(string userId, string deviceId, long since, long upTo, int limit, CancellationToken cancellationToken) =>
        await db.ToDeviceMessages.AsNoTracking()
            .Where(m => m.UserId == userId && m.DeviceId == deviceId && m.StreamPosition > since && m.StreamPosition <= upTo)
            .OrderBy(m => m.StreamPosition)
            .Take(limit)
            .Select(m => new StoredToDeviceMessage(m.StreamPosition, m.Sender, m.Type, m.Content))
            .ToListAsync(cancellationToken);

    public Task DeleteUpToAsync(string userId, string deviceId, long position, CancellationToken cancellationToken) =>
        db.ToDeviceMessages.Where(m => m.UserId == userId && m.DeviceId == deviceId && m.StreamPosition <= position).ExecuteDeleteAsync(cancellationToken);
}
