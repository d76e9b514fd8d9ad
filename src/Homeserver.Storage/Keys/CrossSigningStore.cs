using Homeserver.Core.Keys;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Keys;

internal sealed class CrossSigningStore(HomeserverDbContext db, StreamPositions positions) : ICrossSigningStore
{
    public async Task<IReadOnlyList<CrossSigningKey>> GetKeysAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        await db.CrossSigningKeys.AsNoTracking()
            .Where(k => userIds.Contains(k.UserId))
            .Select(k => new CrossSigningKey(k.UserId, k.KeyType, k.PublicKey, k.KeyJson))
            .ToListAsync(cancellationToken);

    public async Task StoreKeysAsync(string userId, IReadOnlyList<CrossSigningKey> keys, CancellationToken cancellationToken)
    {
        using var lease = await positions.BeginWriteAsync(StreamName.DeviceLists, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var types = keys.Select(k => k.KeyType).ToList();
            await db.CrossSigningKeys.Where(k => k.UserId == userId && types.Contains(k.KeyType)).ExecuteDeleteAsync(cancellationToken);
            db.CrossSigningKeys.AddRange(keys.Select(k => new CrossSigningKeyEntity { UserId = userId, KeyType = k.KeyType, PublicKey = k.PublicKey, KeyJson = k.Json }));
            db.DeviceListChanges.Add(new DeviceListChangeEntity { StreamPosition = lease.Next(), UserId = userId });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            lease.Publish();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task<IReadOnlyList<KeySignature>> GetSignaturesAsync(IReadOnlyCollection<string> targetUserIds, CancellationToken cancellationToken) =>
        await db.KeySignatures.AsNoTracking()
            .Where(s => targetUserIds.Contains(s.TargetUserId))
            .Select(s => new KeySignature(s.TargetUserId, s.TargetKeyId, s.SignerUserId, s.SignerKeyId, s.Signature))
            .ToListAsync(cancellationToken);

    public async Task StoreSignaturesAsync(string uploaderUserId, IReadOnlyList<KeySignature> signatures, CancellationToken cancellationToken)
    {
        using var lease = await positions.BeginWriteAsync(StreamName.DeviceLists, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            foreach (var s in signatures.DistinctBy(s => (s.TargetUserId, s.TargetKeyId, s.SignerUserId, s.SignerKeyId)))
            {
                await db.KeySignatures
                    .Where(x => x.TargetUserId == s.TargetUserId && x.TargetKeyId == s.TargetKeyId && x.SignerUserId == s.SignerUserId && x.SignerKeyId == s.SignerKeyId)
                    .ExecuteDeleteAsync(cancellationToken);
                db.KeySignatures.Add(new KeySignatureEntity
                {
                    TargetUserId = s.TargetUserId,
                    TargetKeyId = s.TargetKeyId,
                    SignerUserId = s.SignerUserId,
                    SignerKeyId = s.SignerKeyId,
                    Signature = s.Signature,
                });
            }

            db.DeviceListChanges.Add(new DeviceListChangeEntity { StreamPosition = lease.Next(), UserId = uploaderUserId });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            lease.Publish();
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
