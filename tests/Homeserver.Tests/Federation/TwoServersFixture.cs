using Homeserver.Storage;
using Homeserver.Tests.Hosting;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Two homeservers that federate over HTTPS on loopback, each with its own database, data directory and signing
/// key: one on PostgreSQL, one on SQLite, so every exchange crosses both storage providers.
/// </summary>
public sealed class TwoServersFixture : IAsyncLifetime
{
    public TestHomeserver A { get; private set; } = null!;

    public TestHomeserver B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await TestHomeserver.StartFederatingAsync(DatabaseProvider.Postgres);
        B = await TestHomeserver.StartFederatingAsync(DatabaseProvider.Sqlite);
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
