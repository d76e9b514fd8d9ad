using Homeserver.Core.OpenId;
using Homeserver.Storage.OpenId;
using Homeserver.Core.Server;
using Homeserver.Core.Federation;
using Homeserver.Storage.Federation;
using Homeserver.Core.AccountData;
using Homeserver.Core.Accounts;
using Homeserver.Storage.AccountData;
using Homeserver.Core.Authentication;
using Homeserver.Core.DehydratedDevices;
using Homeserver.Core.Devices;
using Homeserver.Core.Media;
using Homeserver.Storage.Media;
using Homeserver.Core.Profile;
using Homeserver.Core.Sync.Filters;
using Homeserver.Core.UserDirectory;
using Homeserver.Core.Sync.Streams;
using Homeserver.Storage.Streams;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Storage.Rooms;
using Homeserver.Core.RoomDirectory;
using Homeserver.Storage.RoomDirectory;
using Homeserver.Core.Receipts;
using Homeserver.Storage.Receipts;
using Homeserver.Core.Presence;
using Homeserver.Storage.Presence;
using Homeserver.Storage.UserDirectory;
using Homeserver.Storage.Sync;
using Homeserver.Storage.Profile;
using Homeserver.Storage.Accounts;
using Homeserver.Storage.Authentication;
using Homeserver.Storage.DehydratedDevices;
using Homeserver.Core.Keys;
using Homeserver.Core.KeyBackup;
using Homeserver.Core.ToDevice;
using Homeserver.Storage.Keys;
using Homeserver.Storage.KeyBackup;
using Homeserver.Storage.ToDevice;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Homeserver.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// A list in a query (<c>ids.Contains(e.Id)</c>) goes as one parameter, a JSON array on SQLite and an array on
    /// PostgreSQL, not EF Core 10's default of one parameter per element: the state of a large room names tens of
    /// thousands of events (SQLite took seconds over such a statement), and a statement whose text changes with the
    /// list's length is built and parsed again each time.
    /// </summary>
    private const ParameterTranslationMode OneParameterPerList = ParameterTranslationMode.Parameter;

    /// <summary>The database context for the chosen provider, the migrator, and the stores that implement Core's ports.</summary>
    public static IServiceCollection AddHomeserverStorage(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new SqliteConnectionStringBuilder(connectionString);
                if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase))
                {
                    // Waits this long for a writer to finish instead of failing with "database is locked".
                    sqlite.DefaultTimeout = 30;
                }

                services.AddDbContextPool<HomeserverDbContext, SqliteHomeserverDbContext>(o =>
                    o.UseSqlite(sqlite.ToString(), sqliteOptions => sqliteOptions.UseParameterizedCollectionMode(OneParameterPerList)));
                break;
            case DatabaseProvider.Postgres:
                var postgres = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
                var settings = connectionString.Replace(" ", "");
                if (!settings.Contains("ResetOnClose", StringComparison.OrdinalIgnoreCase))
                {
                    // The server keeps no session state on its connections (no SET, temporary tables, advisory
                    // locks or LISTEN), so the DISCARD ALL a pooled connection sends on each reuse is a wasted
                    // round trip: four of them on every message sent.
                    postgres.NoResetOnClose = true;
                }

                if (!settings.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
                {
                    // The engine's commits and the reads behind each request repeat a few dozen statements; prepared
                    // once per connection, PostgreSQL stops parsing and planning them every time, a fifth of a
                    // message's time when they are sent one after another (docs/benchmarks.md).
                    postgres.MaxAutoPrepare = 100;
                }

                services.AddDbContextPool<HomeserverDbContext, PostgresHomeserverDbContext>(o =>
                    o.UseNpgsql(postgres.ToString(), npgsqlOptions => npgsqlOptions.UseParameterizedCollectionMode(OneParameterPerList)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider");
        }

        services.AddSingleton(new DatabaseMigrator.Provider(provider));
        // The stores that end tokens keep it current, so it lives with them.
        services.AddSingleton<SessionCache>();
        services.AddSingleton<OneTimeKeyStatusCache>();
        services.AddSingleton<DatabaseMigrator>();
        // The stores keep nothing of their own over the request's DbContext (scoped): transient, so that a request
        // scope does not track each one it resolves (a sync resolves about a dozen).
        services.AddTransient<IAccountStore, AccountStore>();
        services.AddTransient<IRegistrationTokenStore, RegistrationTokenStore>();
        services.AddTransient<IProfileStore, ProfileStore>();
        services.AddTransient<IFilterStore, FilterStore>();
        services.AddTransient<IAccountDataStore, AccountDataStore>();
        services.AddTransient<IUserDirectoryStore, UserDirectoryStore>();
        services.AddTransient<IStreamPositionStore, StreamPositionStore>();
        services.AddSingleton<IRoomEventStore, RoomEventStore>();
        services.AddTransient<IRoomReadStore, RoomReadStore>();
        services.AddTransient<IRoomAliasStore, RoomAliasStore>();
        services.AddTransient<IFederationEventStore, FederationEventStore>();
        services.AddTransient<IFederationOutboxStore, FederationOutboxStore>();
        services.AddTransient<IServerKeyStore, ServerKeyStore>();
        services.AddTransient<IOwnSigningKeyStore, OwnSigningKeyStore>();
        services.AddTransient<IOpenIdTokenStore, OpenIdTokenStore>();
        services.AddTransient<IReceiptStore, ReceiptStore>();
        services.AddTransient<IPresenceStore, PresenceStore>();
        services.AddTransient<IDeviceKeyStore, DeviceKeyStore>();
        services.AddTransient<ICrossSigningStore, CrossSigningStore>();
        services.AddTransient<IToDeviceStore, ToDeviceStore>();
        services.AddTransient<IKeyBackupStore, KeyBackupStore>();
        services.AddTransient<ISharedRoomUsers, SharedRoomUsers>();
        services.AddTransient<IRemoteDeviceStore, RemoteDeviceStore>();
        services.AddScoped<SessionStore>();
        services.AddScoped<ISessionStore>(sp => sp.GetRequiredService<SessionStore>());
        services.AddScoped<IDeviceStore>(sp => sp.GetRequiredService<SessionStore>());
        services.AddTransient<IDehydratedDeviceStore, DehydratedDeviceStore>();
        services.AddTransient<IMediaStore, MediaStore>();
        return services;
    }

    /// <summary>The content store of media files under <paramref name="mediaDirectory"/>.</summary>
    public static IServiceCollection AddMediaFiles(this IServiceCollection services, string mediaDirectory) =>
        services.AddSingleton<IMediaContentStore>(new MediaFileStore(mediaDirectory));
}
