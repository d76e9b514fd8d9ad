using Homeserver.Core.Server;
using Homeserver.Core.Sync.Streams;
using Homeserver.Protocol.Signing;
using Homeserver.Storage;

namespace Homeserver.Hosting;

/// <summary>What must be in place before the listeners open: the database schema, the signing key and the old ones.</summary>
public static class HomeserverStartup
{
    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        // Resolving the key creates it on first start, before any other server can ask for it.
        var key = app.Services.GetRequiredService<SigningKey>();

        await using var scope = app.Services.CreateAsyncScope();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        app.Services.GetRequiredService<OldSigningKeys>()
            .Set(await scope.ServiceProvider.GetRequiredService<IOwnSigningKeyStore>().RecordCurrentAsync(key, now, cancellationToken));
        var positions = app.Services.GetRequiredService<StreamPositions>();
        foreach (var (stream, position) in await scope.ServiceProvider.GetRequiredService<IStreamPositionStore>().LoadAsync(cancellationToken))
        {
            positions.Initialize(stream, position);
        }

        app.Services.GetRequiredService<StreamHeads>().SetFloor(positions.Published(StreamName.Events));
    }
}
