using Homeserver.Core.RoomDirectory;
using Homeserver.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Homeserver.Storage.RoomDirectory;

internal sealed class RoomAliasStore(HomeserverDbContext db) : IRoomAliasStore
{
    public async Task<(string RoomId, string Creator)?> GetAsync(string alias, CancellationToken cancellationToken)
    {
        var row = await db.RoomAliases.AsNoTracking().FirstOrDefaultAsync(a => a.Alias == alias, cancellationToken);
        return row is null ? null : (row.RoomId, row.Creator);
    }

    public async Task<bool> AddAsync(string alias, string roomId, string creator, CancellationToken cancellationToken)
    {
        db.RoomAliases.Add(new RoomAliasEntity { Alias = alias, RoomId = roomId, Creator = creator });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public Task RemoveAsync(string alias, CancellationToken cancellationToken) =>
        db.RoomAliases.Where(a => a.Alias == alias).ExecuteDeleteAsync(cancellationToken);

    public async Task<IReadOnlyList<string>> GetAliasesAsync(string roomId, CancellationToken cancellationToken) =>
        await db.RoomAliases.AsNoTracking().Where(a => a.RoomId == roomId).OrderBy(a => a.Alias).Select(a => a.Alias).ToListAsync(cancellationToken);

    public Task SetPublicAsync(string roomId, bool isPublic, CancellationToken cancellationToken) =>
        db.Rooms.Where(r => r.RoomId == roomId).ExecuteUpdateAsync(r => r.SetProperty(x => x.IsPublic, isPublic), cancellationToken);
}
