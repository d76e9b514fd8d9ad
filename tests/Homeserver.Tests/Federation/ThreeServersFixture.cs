using Homeserver.Storage;
using Homeserver.Tests.Hosting;

namespace Homeserver.Tests.Federation;

/// <summary>
/// Three homeservers that federate over HTTPS on loopback, each with its own database, data directory and signing
/// key (A and C on PostgreSQL, B on SQLite): enough for one of them to be cut off from the two others.
/// </summary>
public sealed class ThreeServersFixture : IAsyncLifetime
{
    public TestHomeserver A { get; private set; } = null!;

    public TestHomeserver B { get; private set; } = null!;

    public TestHomeserver C { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await TestHomeserver.StartFederatingAsync(DatabaseProvider.Postgres);
        B = await TestHomeserver.StartFederatingAsync(DatabaseProvider.Sqlite);
        C = await TestHomeserver.StartFederatingAsync(DatabaseProvider.Postgres);
    }

    public async Task DisposeAsync()
    {
        await C.DisposeAsync();
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
