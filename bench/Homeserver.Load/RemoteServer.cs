using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Homeserver.Load;

/// <summary>
/// The load generator as a homeserver of its own, named 127.0.0.1:PORT so that the server under test needs no
/// discovery to reach it: HTTPS on loopback with a throwaway self-signed certificate, publishing the Ed25519 key it
/// signs with. Transactions sent to it are acknowledged unread; anything else is counted and refused, because the
/// scenario is built so that the server under test never needs to ask (no gaps, no unknown events).
/// </summary>
internal sealed class RemoteServer : IAsyncDisposable
{
    private const int LoggedUnexpected = 10;
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private int _unexpected;

    private RemoteServer()
    {
        _certificate = SelfSignedCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        _app = builder.Build();
        _app.MapGet("/_matrix/key/v2/server", () =>
            Results.Text(ServerKeysDocument.Build(ServerName, Key, DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(), []).ToJsonString(), "application/json"));
        _app.MapPut("/_matrix/federation/v1/send/{txnId}", () => Results.Text("""{"pdus":{}}""", "application/json"));
        _app.MapFallback(async context =>
        {
            if (Interlocked.Increment(ref _unexpected) <= LoggedUnexpected)
            {
                await Console.Error.WriteLineAsync($"load server: unexpected {context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { errcode = "M_UNRECOGNIZED", error = "Not served by the load generator" });
        });
    }

    public SigningKey Key { get; } = SigningKey.Generate("load");

    public string ServerName { get; private set; } = "";

    /// <summary>Requests the server under test made other than for keys and transactions.</summary>
    public int UnexpectedRequests => Volatile.Read(ref _unexpected);

    public static async Task<RemoteServer> StartAsync(CancellationToken cancellationToken)
    {
        var server = new RemoteServer();
        await server._app.StartAsync(cancellationToken);
        server.ServerName = $"127.0.0.1:{new Uri(server._app.Urls.First()).Port}";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
        Key.Dispose();
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", ecdsa, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }
}
