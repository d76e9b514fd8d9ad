using Homeserver.Storage;

namespace Homeserver.Tests.Hosting;

/// <summary>One running homeserver per database provider, shared by the tests of a class.</summary>
public class HomeserverFixture : IAsyncLifetime
{
    private readonly Dictionary<DatabaseProvider, TestHomeserver> _servers = [];

    public TestHomeserver this[DatabaseProvider provider] => _servers[provider];

    /// <summary>Configuration arguments of the servers, for fixtures that need other settings.</summary>
    protected virtual string[] Settings => [];

    public async Task InitializeAsync()
    {
        foreach (var provider in Enum.GetValues<DatabaseProvider>())
        {
            _servers[provider] = await TestHomeserver.StartAsync(provider, Settings);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }
    }
}
