using Homeserver.Cli;
using Homeserver.Hosting;
using Homeserver.Storage;
using Homeserver.Tests.Infrastructure;

namespace Homeserver.Tests.Cli;

/// <summary>The administrator's commands, run as the binary runs them, against real databases.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("homeserver-cli-").FullName;

    [Theory]
    [OnEveryDatabase]
    public async Task Register_user_creates_an_account_once_and_refuses_a_taken_or_invalid_name(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        string[] settings = [$"--Homeserver:DataDirectory={_dataDirectory}", $"--Homeserver:Database:Provider={provider}", $"--Homeserver:Database:ConnectionString={database.ConnectionString}"];

        var (created, createdOut, _) = await RunAsync([.. settings, "register-user", "erin", "--admin"], stdin: "s3cret password\n");
        var (taken, _, takenError) = await RunAsync([.. settings, "register-user", "erin", "--password", "other"]);
        var (invalid, _, invalidError) = await RunAsync([.. settings, "register-user", "Erin Upper", "--password", "other"]);
        var (migrated, migrateOut, _) = await RunAsync([.. settings, "migrate"]);

        Assert.Equal(0, created);
        Assert.Contains("@erin:localhost", createdOut, StringComparison.Ordinal);
        Assert.Equal(1, taken);
        Assert.Contains("M_USER_IN_USE", takenError, StringComparison.Ordinal);
        Assert.Equal(1, invalid);
        Assert.Contains("M_INVALID_USERNAME", invalidError, StringComparison.Ordinal);
        Assert.Equal(0, migrated);
        Assert.Contains("up to date", migrateOut, StringComparison.Ordinal);
    }

    [Theory]
    [OnEveryDatabase]
    public async Task Create_registration_token_prints_a_new_token_and_refuses_a_duplicate(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        string[] settings = [$"--Homeserver:DataDirectory={_dataDirectory}", $"--Homeserver:Database:Provider={provider}", $"--Homeserver:Database:ConnectionString={database.ConnectionString}"];

        var (random, randomOut, _) = await RunAsync([.. settings, "create-registration-token", "--uses", "2", "--expires-in-days", "7"]);
        var (named, namedOut, _) = await RunAsync([.. settings, "create-registration-token", "--token", "welcome"]);
        var (again, _, againError) = await RunAsync([.. settings, "create-registration-token", "--token", "welcome"]);
        var (badDays, _, _) = await RunAsync([.. settings, "create-registration-token", "--expires-in-days", "soon"]);

        Assert.Equal(0, random);
        Assert.Matches("^[A-Za-z0-9._~-]{16}\\n$", randomOut);
        Assert.Equal((0, "welcome\n"), (named, namedOut));
        Assert.Equal(1, again);
        Assert.Contains("M_INVALID_PARAM", againError, StringComparison.Ordinal);
        Assert.Equal(2, badDays);
    }

    [Fact]
    public async Task Generate_signing_key_writes_a_loadable_key_and_never_overwrites_it()
    {
        var path = Path.Combine(_dataDirectory, "key");

        var (first, firstOut, _) = await RunAsync(["generate-signing-key", "--output", path]);
        var written = await File.ReadAllTextAsync(path);
        var (second, _, secondError) = await RunAsync(["generate-signing-key", "--output", path]);

        Assert.Equal(0, first);
        Assert.Matches(@"^ed25519 a_[A-Za-z0-9]{4} [A-Za-z0-9+/]{43}\n$", written);
        Assert.Contains("ed25519:a_", firstOut, StringComparison.Ordinal);
        Assert.Equal(1, second);
        Assert.Contains("exists already", secondError, StringComparison.Ordinal);
        Assert.Equal(written, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public void The_server_creates_its_signing_key_once_and_keeps_it()
    {
        var options = new Homeserver.Configuration.HomeserverOptions { DataDirectory = _dataDirectory };

        var created = SigningKeyFile.LoadOrCreate(options);
        var loaded = SigningKeyFile.LoadOrCreate(options);

        Assert.Equal(created.KeyId, loaded.KeyId);
        Assert.Equal(created.PublicKeyBase64, loaded.PublicKeyBase64);
    }

    [Fact]
    public async Task An_invalid_setting_stops_start_up_with_one_line_and_exit_code_1()
    {
        var (code, output, error) = await RunAsync([$"--Homeserver:DataDirectory={_dataDirectory}", "--Homeserver:ServerName=bad name"]);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("Configuration error: Homeserver:ServerName", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_config_file_is_named()
    {
        var (code, _, error) = await RunAsync(["--config", "/nonexistent/homeserver.json", "migrate"]);

        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/homeserver.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var (code, output, _) = await RunAsync(["help"]);

        Assert.Equal(0, code);
        foreach (var command in CommandLine.Commands)
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    internal static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, string stdin = "")
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HomeserverCli.RunAsync(args, output, error, new StringReader(stdin));
        return (code, output.ToString(), error.ToString());
    }
}
