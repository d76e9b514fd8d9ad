using Homeserver.Core.Presence;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Presence;

internal sealed class PresenceStore(HomeserverDbContext db, StreamPositions positions) : IPresenceStore
{
    public async Task<UserPresence?> GetAsync(string userId, CancellationToken cancellationToken) =>
        await db.Presence.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => new UserPresence(p.UserId, p.Presence, p.StatusMessage, p.LastActiveTs))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task SetAsync(UserPresence presence, CancellationToken cancellationToken)
    {
        using var lease = await positions.BeginWriteAsync(StreamName.Presence, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.Presence.Where(p => p.UserId == presence.UserId).ExecuteDeleteAsync(cancellationToken);
            db.Presence.Add(new PresenceEntity
            {
                StreamPosition = lease.Next(),
                UserId = presence.UserId,
                Presence = presence.Presence,
                StatusMessage = presence.StatusMessage,
                LastActiveTs = presence.LastActiveTs,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            lease.Publish();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task<IReadOnlyList<UserPresence>> GetChangesAsync(IReadOnlyCollection<string> userIds, long since, long upTo, CancellationToken cancellationToken) =>
        await db.Presence.AsNoTracking()
            .Where(p => p.StreamPosition > since && p.StreamPosition <= upTo && userIds.Contains(p.UserId))
            .Select(p => new UserPresence(p.UserId, p.Presence, p.StatusMessage, p.LastActiveTs))
            .ToListAsync(cancellationToken);
}
