using Homeserver.Federation;
using Homeserver.Core.Federation;
using Homeserver.Core.Presence;
using Homeserver.Core.Rooms.Typing;
using Homeserver.Core.Receipts;
using Homeserver.Core.Sync;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.RoomDirectory;
using Homeserver.Core.Spaces;
using Homeserver.Core.Sync.Streams;
using Homeserver.Core.Json;
using Homeserver.Client.Sync;
using Homeserver.Configuration;
using Homeserver.Core.AccountData;
using Homeserver.Core.Accounts;
using Homeserver.Core.Authentication;
using Homeserver.Core.DehydratedDevices;
using Homeserver.Core.Devices;
using Homeserver.Core.KeyBackup;
using Homeserver.Core.Keys;
using Homeserver.Core.ToDevice;
using Homeserver.Core.Profile;
using Homeserver.Core.Push;
using Homeserver.Core.Sync.Filters;
using Homeserver.Core.UserDirectory;
using Homeserver.Core.Voip;
using Homeserver.Core.OpenId;
using Homeserver.Core.Server;
using Homeserver.Http;
using Homeserver.Protocol.Errors;
using Homeserver.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Serilog;
using Serilog.Events;

namespace Homeserver.Hosting;

/// <summary>Composes the homeserver: configuration, logging, listeners, services and the HTTP pipeline.</summary>
public static class HomeserverHost
{
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Homeserver:ServerName=x</c>).</param>
    /// <param name="configFile">An optional JSON configuration file layered over appsettings.json.</param>
    /// <param name="configureLogging">Lets tests add a log sink.</param>
    /// <exception cref="ConfigurationException">A setting is missing or invalid.</exception>
    public static WebApplication Build(string[] args, string? configFile = null, Action<LoggerConfiguration>? configureLogging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships beside the binary; the working directory is where ./data goes.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddOverrides(configFile, args);

        var options = HomeserverOptionsLoader.Load(builder.Configuration);
        Directory.CreateDirectory(options.DataDirectory);

        // Each host keeps its own logger (preserveStaticLogger), so that servers sharing a process (tests) do not
        // write into each other's logs.
        builder.Services.AddSerilog(
            (_, logger) =>
            {
                logger.ReadFrom.Configuration(builder.Configuration);
                configureLogging?.Invoke(logger);
            },
            preserveStaticLogger: true);
        builder.WebHost.ConfigureKestrel(kestrel => ListenerSetup.Configure(kestrel, options));

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new ServerIdentity(options.ServerName));
        builder.Services.AddSingleton(_ => SigningKeyFile.LoadOrCreate(options));
        builder.Services.AddSingleton<OldSigningKeys>();
        builder.Services.AddSingleton<StreamPositions>();
        builder.Services.AddSingleton<SyncNotifier>();
        builder.Services.AddSingleton<StreamHeads>();
        builder.Services.AddSingleton<RecentTimelines>();
        builder.Services.AddSingleton<UserMembershipCache>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<PduVerifier>();
        builder.Services.AddFederation(options.Federation);
        builder.Services.AddScoped<RemoteStateFetcher>();
        builder.Services.AddScoped<TransactionReceiver>();
        builder.Services.AddScoped<MembershipHandshake>();
        builder.Services.AddScoped<InviteHandler>();
        builder.Services.AddScoped<QueryHandler>();
        builder.Services.AddScoped<ServerAclGuard>();
        builder.Services.AddScoped<RemoteMembership>();
        builder.Services.AddSingleton(new JoinPolicy(options.Federation.PartialStateJoins));
        builder.Services.AddSingleton<PartialStateSignal>();
        builder.Services.AddSingleton<PartialStateCompletion>();
        builder.Services.AddSingleton<FullStateWaiters>();
        builder.Services.AddTransient<EduSender>();
        builder.Services.AddScoped<FederationEventReader>();
        builder.Services.AddSingleton<BackfillHorizon>();
        builder.Services.AddScoped<Backfiller>();
        builder.Services.AddSingleton<RoomEventWriter>();
        builder.Services.AddScoped<RoomAccess>();
        builder.Services.AddScoped<RoomCreationService>();
        builder.Services.AddScoped<MembershipService>();
        builder.Services.AddScoped<RoomEventService>();
        builder.Services.AddScoped<RoomAliasService>();
        builder.Services.AddScoped<PublicRoomsService>();
        builder.Services.AddScoped<SpaceHierarchyService>();
        builder.Services.AddScoped<RestrictedJoins>();
        // The sync path's services (this one, its extensions, FilterService, PresenceService, KeysSyncSource,
        // DeviceListChanges, EduSender) keep nothing of their own over the scoped stores, so they are transient
        // like the stores: the request scope need not track the dozen a sync resolves.
        builder.Services.AddTransient<SyncService>();
        builder.Services.AddSingleton<TypingTracker>();
        builder.Services.AddScoped<TypingService>();
        builder.Services.AddScoped<ReceiptService>();
        builder.Services.AddTransient<ISyncExtension, EphemeralSyncExtension>();
        builder.Services.AddSingleton<ToDeviceAcknowledgements>();
        builder.Services.AddTransient<ISyncExtension, KeysSyncExtension>();
        builder.Services.AddTransient<ISyncExtension, PresenceSyncExtension>();
        builder.Services.AddSingleton<PresenceStates>();
        builder.Services.AddTransient<PresenceService>();
        builder.Services.AddScoped<AccountService>();
        builder.Services.AddScoped<LoginService>();
        builder.Services.AddSingleton(new SessionPolicy(TimeSpan.FromSeconds(options.Sessions.RefreshableAccessTokenLifetimeSeconds)));
        builder.Services.AddScoped<RegistrationService>();
        builder.Services.AddScoped<DeviceService>();
        builder.Services.AddScoped<DehydratedDeviceService>();
        builder.Services.AddScoped<AccountManagementService>();
        builder.Services.AddScoped<MemberProfileUpdater>();
        builder.Services.AddScoped<ProfileService>();
        builder.Services.AddSingleton<ParsedFilters>();
        builder.Services.AddTransient<FilterService>();
        builder.Services.AddScoped<AccountDataService>();
        builder.Services.AddScoped<PushRulesService>();
        builder.Services.AddScoped<KeysService>();
        builder.Services.AddScoped<CrossSigningService>();
        builder.Services.AddTransient<KeysSyncSource>();
        builder.Services.AddScoped<ToDeviceService>();
        builder.Services.AddScoped<KeyBackupService>();
        builder.Services.AddScoped<DeviceListUpdates>();
        builder.Services.AddTransient<DeviceListChanges>();
        builder.Services.AddScoped<RemoteDeviceLists>();
        builder.Services.AddSingleton(new TurnConfiguration(options.Turn.Uris, options.Turn.SharedSecret, TimeSpan.FromSeconds(options.Turn.LifetimeSeconds)));
        builder.Services.AddSingleton<TurnService>();
        builder.Services.AddSingleton(new UserDirectoryPolicy(options.UserDirectory.SearchAllUsers));
        builder.Services.AddScoped<UserDirectoryService>();
        builder.Services.AddSingleton(new RegistrationPolicy(options.Registration.Enabled, options.Registration.RequireToken));
        builder.Services.AddScoped<RegistrationTokens>();
        builder.Services.AddScoped<OpenIdTokens>();
        builder.Services.AddSingleton<UserInteractiveAuth>();
        builder.Services.AddScoped<SessionAuthenticator>();
        builder.Services.AddSingleton<CachedLoggerFactory>();
        builder.Services
            .AddAuthentication(AccessTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthenticationHandler>(AccessTokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddMatrixRateLimits(options.RateLimits);
        builder.Services.AddHomeserverStorage(options.Database.Provider, ConnectionString(options));
        builder.Services.AddMediaRepository(options);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services
            .AddControllers(mvc =>
            {
                mvc.ModelBinderProviders.Insert(0, new JsonBodyModelBinderProvider());
                // Matrix bodies are JSON whatever the Content-Type says (curl -d sends a form type); form value
                // providers would read the body as a form before the JSON binder sees it.
                mvc.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
                mvc.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
                mvc.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
                mvc.ModelMetadataDetailsProviders.Add(new KeepStringsAsSentMetadataProvider());
                mvc.Conventions.Add(new LegacyPrefixConvention());
            })
            // Named explicitly: when tests host the server, the entry assembly is the test runner's.
            .AddApplicationPart(typeof(HomeserverHost).Assembly)
            .AddJsonOptions(json => MatrixJson.Configure(json.JsonSerializerOptions));

        var app = builder.Build();
        app.UseSerilogRequestLogging(logging =>
        {
            // RequestPath carries no query string, so access tokens passed as ?access_token= never reach the log.
            logging.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            logging.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            logging.GetLevel = RequestLogLevel;
        });
        app.UseMiddleware<MatrixErrorMiddleware>();
        app.UseMiddleware<CorsMiddleware>();
        app.UseStatusCodePages(context => WriteEmptyStatus(context.HttpContext));
        app.UseRouting();
        app.UseMiddleware<ApiSurfaceMiddleware>();
        app.UseMiddleware<XMatrixAuthenticationMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapControllers();
        SyncEndpoint.Map(app);
        app.MapHealthChecks("/health");
        return app;
    }

    /// <summary>
    /// Every client holds a <c>/sync</c> long-poll open and starts the next as soon as one answers, so its answers
    /// are most of the requests a server sees (thousands a second under load): logged at Debug when they succeed,
    /// like nothing else, and at the usual levels when they fail.
    /// </summary>
    private static LogEventLevel RequestLogLevel(HttpContext context, double elapsedMs, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
        : context.Response.StatusCode < StatusCodes.Status400BadRequest && context.Request.Path.Value?.EndsWith("/sync", StringComparison.Ordinal) == true ? LogEventLevel.Debug
        : LogEventLevel.Information;

    /// <summary>The connection string in force: the configured one, or the SQLite file in the data directory.</summary>
    public static string ConnectionString(HomeserverOptions options) =>
        options.Database.ConnectionString
        ?? $"Data Source={Path.Combine(options.DataDirectory, "homeserver.db")}";

    private static Task WriteEmptyStatus(HttpContext context)
    {
        // Only responses that no endpoint wrote a body for get here: unknown paths (404) and known paths asked
        // with the wrong method (405). The spec answers both with M_UNRECOGNIZED.
        var status = context.Response.StatusCode;
        var code = status is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed
            ? ErrorCode.Unrecognized
            : ErrorCode.Unknown;
        return ErrorResponseWriter.WriteAsync(context, status, code, code == ErrorCode.Unrecognized ? "Unrecognized request" : "Request failed");
    }
}
