using Homeserver.Core.Federation;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Federation;

internal sealed class FederationOutboxStore(HomeserverDbContext db) : IFederationOutboxStore
{
    public async Task<IReadOnlyList<string>> GetDestinationsAsync(CancellationToken cancellationToken) =>
        await db.FederationOutbox.AsNoTracking().Select(o => o.Destination).Distinct().ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<OutboxItem>> PeekAsync(string destination, int maxPdus, int maxEdus, CancellationToken cancellationToken)
    {
        var rows = await (
                from o in db.FederationOutbox.AsNoTracking()
                where o.Destination == destination
                orderby o.Position
                join e in db.Events on o.EventNid equals e.EventNid into events
                from e in events.DefaultIfEmpty()
                select new OutboxItem(o.Position, e == null ? null : e.RedactedJson ?? e.Json, o.EduJson))
            .Take(maxPdus + maxEdus)
            .ToListAsync(cancellationToken);

        // A prefix of the queue, so that delivering it removes exactly the rows up to its last position.
        var (pdus, edus, count) = (0, 0, 0);
        foreach (var row in rows)
        {
            if (row.PduJson is not null ? ++pdus > maxPdus : ++edus > maxEdus)
            {
                break;
            }

            count++;
        }

        return rows[..count];
    }

    public Task RemoveAsync(string destination, long upToPosition, CancellationToken cancellationToken) =>
        db.FederationOutbox.Where(o => o.Destination == destination && o.Position <= upToPosition).ExecuteDeleteAsync(cancellationToken);

    public async Task AddEdusAsync(IReadOnlyList<(string Destination, string EduJson)> edus, CancellationToken cancellationToken)
    {
        db.FederationOutbox.AddRange(edus.Select(e => new FederationOutboxEntity { Destination = e.Destination, EduJson = e.EduJson }));
        await db.SaveChangesAsync(cancellationToken);
    }
}
