using System.Net;
using Homeserver.Core.Accounts;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Client;

/// <summary>Token-authenticated registration (client-server API, "Token-authenticated registration").</summary>
public sealed class RegistrationTokenTests
{
    [Theory]
    [OnEveryDatabase]
    public async Task Registration_needs_a_valid_token_with_uses_left(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Registration:Enabled=true", "--Homeserver:Registration:RequireToken=true");
        var token = await CreateTokenAsync(server, "one-use_token", uses: 1);

        var (challenge, flows) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", """{"username":"uma"}""");
        var session = (string)flows!["session"]!;
        var (wrong, wrongBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register",
            $$$"""{"username":"uma","auth":{"type":"m.login.registration_token","token":"nope","session":"{{{session}}}"}}""");
        var (dummy, dummyBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register", """{"username":"uma","auth":{"type":"m.login.dummy"}}""");
        var (_, validBefore) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v1/register/m.login.registration_token/validity?token={token}");
        var (registered, account) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register",
            $$$"""{"username":"uma","auth":{"type":"m.login.registration_token","token":"{{{token}}}","session":"{{{session}}}"}}""");
        var (second, secondBody) = await server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register",
            $$$"""{"username":"vic","auth":{"type":"m.login.registration_token","token":"{{{token}}}"}}""");
        var (_, validAfter) = await server.SendAsync(HttpMethod.Get, $"/_matrix/client/v1/register/m.login.registration_token/validity?token={token}");
        var (missing, missingBody) = await server.SendAsync(HttpMethod.Get, "/_matrix/client/v1/register/m.login.registration_token/validity");

        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("m.login.registration_token", (string?)flows["flows"]![0]!["stages"]![0]);
        Assert.Equal((HttpStatusCode.Unauthorized, "M_FORBIDDEN"), (wrong.StatusCode, (string?)wrongBody!["errcode"]));
        Assert.Equal((HttpStatusCode.Unauthorized, "M_UNRECOGNIZED"), (dummy.StatusCode, (string?)dummyBody!["errcode"]));
        Assert.True((bool)validBefore!["valid"]!);
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal("@uma:localhost", (string?)account!["user_id"]);
        Assert.Equal((HttpStatusCode.Unauthorized, "M_FORBIDDEN"), (second.StatusCode, (string?)secondBody!["errcode"]));
        Assert.False((bool)validAfter!["valid"]!);
        Assert.Equal((HttpStatusCode.BadRequest, "M_MISSING_PARAM"), (missing.StatusCode, (string?)missingBody!["errcode"]));
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Concurrent_registrations_cannot_both_take_a_tokens_last_use(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Registration:Enabled=true", "--Homeserver:Registration:RequireToken=true");
        var token = await CreateTokenAsync(server, null, uses: 1);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => server.SendAsync(HttpMethod.Post, "/_matrix/client/v3/register",
            $$$"""{"username":"racer{{{i}}}","auth":{"type":"m.login.registration_token","token":"{{{token}}}"}}""")));

        Assert.Single(attempts, a => a.Response.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Tokens_must_follow_the_grammar_and_be_new()
    {
        await using var server = await TestHomeserver.StartAsync(DatabaseProvider.Sqlite);

        await CreateTokenAsync(server, "taken", uses: null);
        var duplicate = await Record.ExceptionAsync(() => CreateTokenAsync(server, "taken", uses: null));
        var badCharacters = await Record.ExceptionAsync(() => CreateTokenAsync(server, "no spaces", uses: null));
        var random = await CreateTokenAsync(server, null, uses: 3);

        Assert.Contains("exists", duplicate?.Message, StringComparison.Ordinal);
        Assert.NotNull(badCharacters);
        Assert.Matches("^[A-Za-z0-9._~-]{16}$", random);
    }

    private static async Task<string> CreateTokenAsync(TestHomeserver server, string? token, int? uses)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RegistrationTokens>().CreateAsync(token, uses, null, CancellationToken.None);
    }
}
