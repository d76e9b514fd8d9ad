using Homeserver.Core.Server;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Json;
using Homeserver.Protocol.Signing;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Federation;

internal sealed class OwnSigningKeyStore(HomeserverDbContext db) : IOwnSigningKeyStore
{
    public async Task<IReadOnlyList<PublishedKey>> RecordCurrentAsync(SigningKey current, long nowTs, CancellationToken cancellationToken)
    {
        var rows = await db.ServerSigningKeys.ToListAsync(cancellationToken);
        var row = rows.Find(r => r.KeyId == current.KeyId);
        if (row is null)
        {
            db.ServerSigningKeys.Add(new ServerSigningKeyEntity { KeyId = current.KeyId, PublicKey = current.PublicKeyBase64 });
        }
        else
        {
            // The key file is the truth: a key brought back into use is current again.
            row.PublicKey = current.PublicKeyBase64;
            row.ExpiredTs = null;
        }

        var old = rows.Where(r => r.KeyId != current.KeyId).ToList();
        foreach (var oldRow in old)
        {
            oldRow.ExpiredTs ??= nowTs;
        }

        await db.SaveChangesAsync(cancellationToken);
        return [.. old.Select(r => new PublishedKey(r.KeyId, UnpaddedBase64.Decode(r.PublicKey), r.ExpiredTs!.Value, Expired: true))];
    }
}
