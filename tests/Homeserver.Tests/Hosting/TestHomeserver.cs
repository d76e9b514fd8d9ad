using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Homeserver.Core.Accounts;
using Homeserver.Hosting;
using Homeserver.Storage;
using Homeserver.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serilog.Core;
using Serilog.Events;

namespace Homeserver.Tests.Hosting;

/// <summary>
/// A real homeserver on loopback: Kestrel on free ports (plain HTTP for the client API, TLS with the generated
/// self-signed certificate for federation), its own data directory and a fresh database.
/// </summary>
public sealed class TestHomeserver : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly string _dataDirectory;
    private readonly string[] _args;
    private WebApplication _app;
    private bool _stopped;

    private TestHomeserver(WebApplication app, TestDatabase database, string dataDirectory, string[] args, LogCapture logs)
    {
        _app = app;
        _database = database;
        _dataDirectory = dataDirectory;
        _args = args;
        Logs = logs;
        ServerName = app.Services.GetRequiredService<Homeserver.Core.Server.ServerIdentity>().ServerName;
        (Client, Federation) = Connect(app);
    }

    public HttpClient Client { get; private set; }

    public HttpClient Federation { get; private set; }

    /// <summary>The server name: <c>localhost</c>, or <c>127.0.0.1:port</c> for servers that federate.</summary>
    public string ServerName { get; }

    public LogCapture Logs { get; }

    /// <summary>The server's data directory (media files, signing key).</summary>
    public string DataDirectory => _dataDirectory;

    public IServiceProvider Services => _app.Services;

    /// <summary>The configuration it runs with, for a command-line task on the same server while it is stopped.</summary>
    public IReadOnlyList<string> Arguments => _args;

    public static Task<TestHomeserver> StartAsync(DatabaseProvider provider, params string[] settings) =>
        StartAsync(provider, "localhost", "https://127.0.0.1:0", "http://127.0.0.1:0", settings);

    /// <summary>
    /// A server that other test servers can reach: its name is <c>127.0.0.1:port</c> with the port of its
    /// federation listener (an IP literal with a port needs no discovery), both listeners on fixed ports so that
    /// <see cref="RestartAsync"/> brings it back at the same address, and retries of unreachable servers after a
    /// second or two rather than minutes.
    /// </summary>
    public static Task<TestHomeserver> StartFederatingAsync(DatabaseProvider provider, params string[] settings)
    {
        var federationPort = FreePort();
        return StartAsync(provider, $"127.0.0.1:{federationPort}", $"https://127.0.0.1:{federationPort}", $"http://127.0.0.1:{FreePort()}",
        [
            "--Homeserver:Federation:FirstRetryDelaySeconds=1",
            "--Homeserver:Federation:MaxRetryDelaySeconds=2",
            .. settings,
        ]);
    }

    private static async Task<TestHomeserver> StartAsync(DatabaseProvider provider, string serverName, string federationListener, string clientListener, string[] settings)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var dataDirectory = Directory.CreateTempSubdirectory("homeserver-test-").FullName;
        string[] args =
        [
            $"--Homeserver:ServerName={serverName}",
            $"--Homeserver:DataDirectory={dataDirectory}",
            $"--Homeserver:Listeners:Client={clientListener}",
            $"--Homeserver:Listeners:Federation={federationListener}",
            $"--Homeserver:Database:Provider={provider}",
            $"--Homeserver:Database:ConnectionString={database.ConnectionString}",
            "--Homeserver:Federation:VerifyTlsCertificates=false",
            // Tests log in and register in bursts; the rate-limit tests turn the limits back on.
            "--Homeserver:RateLimits:Enabled=false",
            .. settings,
        ];
        var logs = new LogCapture();
        return new TestHomeserver(await LaunchAsync(args, logs), database, dataDirectory, args, logs);
    }

    /// <summary>Stops the server as a shutdown would; <see cref="RestartAsync"/> starts it again.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Starts the stopped server again on the same database, data directory, key and addresses.</summary>
    public async Task RestartAsync()
    {
        _app = await LaunchAsync(_args, Logs);
        _stopped = false;
        Client.Dispose();
        Federation.Dispose();
        (Client, Federation) = Connect(_app);
    }

    private static async Task<WebApplication> LaunchAsync(string[] args, LogCapture logs)
    {
        var app = HomeserverHost.Build(args, configureLogging: logger => logger.MinimumLevel.Verbose().WriteTo.Sink(logs));
        await HomeserverStartup.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        return app;
    }

    private static (HttpClient Client, HttpClient Federation) Connect(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var client = new HttpClient { BaseAddress = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal))) };
        var federation = new HttpClient(new HttpClientHandler
        {
            // The federation listener serves the self-signed certificate generated on first start.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        { BaseAddress = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal))) };
        return (client, federation);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<(HttpResponseMessage Response, JsonObject? Body)> SendAsync(HttpMethod method, string path, string? body = null, string? accessToken = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
    }

    /// <summary>Creates a local user as the administrator's CLI does, then logs in as them.</summary>
    public async Task<(string UserId, string AccessToken)> CreateUserAsync(string localpart, string password = "pw", string? deviceId = null)
    {
        await RegisterAsync(localpart, password);
        return await LoginAsync(localpart, password, deviceId);
    }

    /// <summary>Creates a local user as the administrator's CLI does, without logging in; returns the user ID.</summary>
    public async Task<string> RegisterAsync(string localpart, string password = "pw")
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountService>().RegisterAsync(localpart, password, isAdmin: false, CancellationToken.None);
    }

    public async Task<(string UserId, string AccessToken)> LoginAsync(string user, string password, string? deviceId = null)
    {
        var body = new JsonObject { ["type"] = "m.login.password", ["user"] = user, ["password"] = password };
        if (deviceId is not null)
        {
            body["device_id"] = deviceId;
            body["initial_device_display_name"] = "test";
        }

        var (response, session) = await SendAsync(HttpMethod.Post, "/_matrix/client/v3/login", body.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, $"login of {user} failed: {response.StatusCode}");
        return ((string)session!["user_id"]!, (string)session["access_token"]!);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Federation.Dispose();
        if (!_stopped)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await _database.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalising connection; the temp directory is cleaned by the OS.
        }
    }

    /// <summary>Every log event the server wrote, rendered, for tests that check what is (not) logged.</summary>
    public sealed class LogCapture : ILogEventSink
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public void Emit(LogEvent logEvent)
        {
            var line = $"[{logEvent.Level}] " + logEvent.RenderMessage() + " " + string.Join(' ', logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
