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
    private readonly WebApplication _app;
    private readonly TestDatabase _database;
    private readonly string _dataDirectory;

    private TestHomeserver(WebApplication app, TestDatabase database, string dataDirectory, Uri clientUrl, Uri federationUrl, LogCapture logs)
    {
        _app = app;
        _database = database;
        _dataDirectory = dataDirectory;
        Logs = logs;
        Client = new HttpClient { BaseAddress = clientUrl };
        Federation = new HttpClient(new HttpClientHandler
        {
            // The federation listener serves the self-signed certificate generated on first start.
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        })
        { BaseAddress = federationUrl };
    }

    public HttpClient Client { get; }

    public HttpClient Federation { get; }

    public LogCapture Logs { get; }

    /// <summary>The server's data directory (media files, signing key).</summary>
    public string DataDirectory => _dataDirectory;

    public IServiceProvider Services => _app.Services;

    public static async Task<TestHomeserver> StartAsync(DatabaseProvider provider, params string[] settings)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var dataDirectory = Directory.CreateTempSubdirectory("homeserver-test-").FullName;
        string[] args =
        [
            "--Homeserver:ServerName=localhost",
            $"--Homeserver:DataDirectory={dataDirectory}",
            "--Homeserver:Listeners:Client=http://127.0.0.1:0",
            "--Homeserver:Listeners:Federation=https://127.0.0.1:0",
            $"--Homeserver:Database:Provider={provider}",
            $"--Homeserver:Database:ConnectionString={database.ConnectionString}",
            "--Homeserver:Federation:VerifyTlsCertificates=false",
            // Tests log in and register in bursts; the rate-limit tests turn the limits back on.
            "--Homeserver:RateLimits:Enabled=false",
            .. settings,
        ];
        var logs = new LogCapture();
        var app = HomeserverHost.Build(args, configureLogging: logger => logger.MinimumLevel.Verbose().WriteTo.Sink(logs));
        await HomeserverStartup.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var client = addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal));
        var federation = addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal));
        return new TestHomeserver(app, database, dataDirectory, new Uri(client), new Uri(federation), logs);
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
        await _app.StopAsync();
        await _app.DisposeAsync();
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
            var line = logEvent.RenderMessage() + " " + string.Join(' ', logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
