using Homeserver.Core.Sync.Streams;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Streams;

internal sealed class StreamPositionStore(HomeserverDbContext db) : IStreamPositionStore
{
    public async Task<IReadOnlyDictionary<StreamName, long>> LoadAsync(CancellationToken cancellationToken) =>
        new Dictionary<StreamName, long>
        {
            [StreamName.Events] = await db.Events.MaxAsync(e => e.StreamOrdering, cancellationToken) ?? 0,
            [StreamName.AccountData] = await db.AccountData.MaxAsync(a => (long?)a.StreamPosition, cancellationToken) ?? 0,
            [StreamName.Receipts] = await db.Receipts.MaxAsync(r => (long?)r.StreamPosition, cancellationToken) ?? 0,
            [StreamName.ToDevice] = await db.ToDeviceMessages.MaxAsync(t => (long?)t.StreamPosition, cancellationToken) ?? 0,
            [StreamName.DeviceLists] = await db.DeviceListChanges.MaxAsync(d => (long?)d.StreamPosition, cancellationToken) ?? 0,
            [StreamName.Presence] = await db.Presence.MaxAsync(p => (long?)p.StreamPosition, cancellationToken) ?? 0,
        };
}
