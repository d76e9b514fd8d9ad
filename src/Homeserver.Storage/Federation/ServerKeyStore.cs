using Homeserver.Core.Federation;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Json;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Federation;

internal sealed class ServerKeyStore(HomeserverDbContext db) : IServerKeyStore
{
    public async Task<IReadOnlyList<(string Server, PublishedKey Key)>> LoadAsync(IReadOnlyCollection<string> servers, CancellationToken cancellationToken)
    {
        var rows = await db.RemoteServerKeys.AsNoTracking().Where(k => servers.Contains(k.ServerName)).ToListAsync(cancellationToken);
        return rows
            .Select(r => (r.ServerName, new PublishedKey(r.KeyId, UnpaddedBase64.Decode(r.PublicKey), r.ExpiredTs ?? r.ValidUntilTs, r.ExpiredTs is not null)))
            .ToList();
    }

    public async Task SaveAsync(string server, IReadOnlyList<PublishedKey> keys, CancellationToken cancellationToken)
    {
        var ids = keys.Select(k => k.KeyId).ToList();
        var existing = await db.RemoteServerKeys.Where(k => k.ServerName == server && ids.Contains(k.KeyId)).ToDictionaryAsync(k => k.KeyId, cancellationToken);
        foreach (var key in keys)
        {
            if (!existing.TryGetValue(key.KeyId, out var row))
            {
                row = new RemoteServerKeyEntity { ServerName = server, KeyId = key.KeyId, PublicKey = "" };
                db.RemoteServerKeys.Add(row);
            }

            row.PublicKey = UnpaddedBase64.Encode(key.PublicKey);
            row.ValidUntilTs = key.ValidUntilTs;
            row.ExpiredTs = key.Expired ? key.ValidUntilTs : null;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Another fetch of the same server stored the same keys first.
            db.ChangeTracker.Clear();
        }
    }
}
