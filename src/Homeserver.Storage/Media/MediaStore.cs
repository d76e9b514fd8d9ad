using Homeserver.Core.Media;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.Media;

internal sealed class MediaStore(HomeserverDbContext db) : IMediaStore
{
    public async Task AddAsync(MediaRecord media, CancellationToken cancellationToken)
    {
        db.Media.Add(ToEntity(media));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    public async Task<MediaRecord> AddRemoteAsync(MediaRecord media, CancellationToken cancellationToken)
    {
        db.Media.Add(ToEntity(media));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return media;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Both fetches stored the same bytes under the same hash; the first record stands.
            db.ChangeTracker.Clear();
            return await GetAsync(media.ServerName, media.MediaId, cancellationToken) ?? throw new InvalidOperationException("The conflicting media record vanished");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async Task<MediaRecord?> GetAsync(string serverName, string mediaId, CancellationToken cancellationToken)
    {
        var m = await db.Media.AsNoTracking().SingleOrDefaultAsync(m => m.ServerName == serverName && m.MediaId == mediaId, cancellationToken);
        return m is null
            ? null
            : new MediaRecord(m.ServerName, m.MediaId, m.UploaderUserId, m.CreatedTs, m.ContentType, m.UploadName, m.Size, m.Sha256, m.UploadedTs);
    }

    public async Task<bool> CompleteUploadAsync(string serverName, string mediaId, StoredContent content, string contentType, string? uploadName,
        long uploadedTs, CancellationToken cancellationToken)
    {
        // The condition on sha256 makes the first of two racing uploads the only one that counts.
        var updated = await db.Media
            .Where(m => m.ServerName == serverName && m.MediaId == mediaId && m.Sha256 == null)
            .ExecuteUpdateAsync(
                set => set
                    .SetProperty(m => m.Sha256, content.Sha256)
                    .SetProperty(m => m.Size, content.Length)
                    .SetProperty(m => m.ContentType, contentType)
                    .SetProperty(m => m.UploadName, uploadName)
                    .SetProperty(m => m.UploadedTs, uploadedTs),
                cancellationToken);
        return updated == 1;
    }

    public Task<int> CountPendingAsync(string userId, long sinceTs, CancellationToken cancellationToken) =>
        db.Media.CountAsync(m => m.UploaderUserId == userId && m.CreatedTs > sinceTs && m.Sha256 == null, cancellationToken);

    private static MediaEntity ToEntity(MediaRecord media) =>
        new()
        {
            ServerName = media.ServerName,
            MediaId = media.MediaId,
            UploaderUserId = media.Uploader,
            CreatedTs = media.CreatedTs,
            ContentType = media.ContentType,
            UploadName = media.UploadName,
            Size = media.Size,
            Sha256 = media.Sha256,
            UploadedTs = media.UploadedTs,
        };
}
