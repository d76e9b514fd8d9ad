using Homeserver.Configuration;
using Homeserver.Storage;
using Microsoft.Extensions.Configuration;

namespace Homeserver.Tests.Configuration;

public sealed class OptionsLoaderTests
{
    [Fact]
    public void Defaults_are_a_local_sqlite_server()
    {
        var options = Load();

        Assert.Equal("localhost", options.ServerName);
        Assert.Equal("./data", options.DataDirectory);
        Assert.Equal("http://127.0.0.1:8008", options.Listeners.Client);
        Assert.Equal("https://0.0.0.0:8448", options.Listeners.Federation);
        Assert.Equal(DatabaseProvider.Sqlite, options.Database.Provider);
        Assert.False(options.Registration.Enabled);
        Assert.True(options.Federation.Enabled);
        Assert.True(options.Federation.VerifyTlsCertificates);
    }

    [Theory]
    [InlineData("Homeserver:ServerName", "not a server name", "Homeserver:ServerName")]
    [InlineData("Homeserver:ServerName", "example.org:99999", "Homeserver:ServerName")]
    [InlineData("Homeserver:Listeners:Client", "ftp://127.0.0.1:21", "Homeserver:Listeners:Client")]
    [InlineData("Homeserver:Listeners:Federation", "https://example.org:8448", "Homeserver:Listeners:Federation")]
    [InlineData("Homeserver:Database:Provider", "Oracle", "Homeserver:Database:Provider")]
    [InlineData("Homeserver:Database:Provider", "Postgres", "Homeserver:Database:ConnectionString")]
    [InlineData("Homeserver:Registration:Enabled", "perhaps", "Homeserver:Registration:Enabled")]
    [InlineData("Homeserver:PublicBaseUrl", "matrix.example.org", "Homeserver:PublicBaseUrl")]
    [InlineData("Homeserver:Limits:MaxRequestBodyBytes", "1000", "Homeserver:Limits:MaxRequestBodyBytes")]
    [InlineData("Homeserver:RateLimits:Login:Burst", "0", "Homeserver:RateLimits:Login")]
    [InlineData("Homeserver:Turn:Uris:0", "turn:t.example.org", "Homeserver:Turn:SharedSecret")]
    [InlineData("Homeserver:RateLimits:Registration:PerSecond", "-1", "Homeserver:RateLimits:Registration")]
    [InlineData("Homeserver:Media:MaxUploadBytes", "0", "Homeserver:Media:MaxUploadBytes")]
    [InlineData("Homeserver:Media:FreezeUnauthenticatedMediaAt", "yesterday", "Homeserver:Media:FreezeUnauthenticatedMediaAt")]
    [InlineData("Homeserver:Media:UrlPreview:AllowedNetworks:0", "10.0.0.0/33", "Homeserver:Media:UrlPreview:AllowedNetworks")]
    [InlineData("Homeserver:Media:UrlPreview:TimeoutSeconds", "0", "Homeserver:Media:UrlPreview:TimeoutSeconds")]
    public void An_invalid_setting_fails_with_one_line_naming_the_key(string key, string value, string named)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load((key, value)));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("example.org")]
    [InlineData("example.org:8448")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:8448")]
    public void Valid_server_names_are_accepted(string serverName) =>
        Assert.Equal(serverName, Load(("Homeserver:ServerName", serverName)).ServerName);

    private static HomeserverOptions Load(params (string Key, string Value)[] settings) =>
        HomeserverOptionsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());
}
