using Homeserver.Configuration;
using Homeserver.Core.Accounts;
using Homeserver.Core.Errors;
using Homeserver.Core.Server;
using Homeserver.Hosting;
using Homeserver.Protocol.Signing;
using Homeserver.Storage;

namespace Homeserver.Cli;

/// <summary>The commands of the <c>homeserver</c> binary: run the server, or one administrative task.</summary>
public static class HomeserverCli
{
    private const string Usage = """
        Usage: homeserver [--config FILE] [COMMAND] [OPTIONS] [--Homeserver:Key=value ...]

        Commands:
          run                                   Start the server (the default).
          migrate                               Apply database migrations and exit.
          register-user NAME [--password P] [--admin]
                                                Create a local user. Without --password, the password is read
                                                from standard input.
          create-registration-token [--token T] [--uses N] [--expires-in-days D]
                                                Create a registration token (random unless --token is given), for
                                                servers with Homeserver:Registration:RequireToken.
          generate-signing-key [--output FILE]  Write a new Ed25519 signing key (default: DATA_DIRECTORY/signing.key).
          rotate-signing-key                    Replace the server's signing key with a new one. The old key is
                                                renamed to signing.key.VERSION.old and stays published as an old
                                                key, so that what it signed can still be checked. Restart the
                                                server afterwards to sign with the new key.
          help                                  Show this text.

        Configuration: appsettings.json, then --config FILE, then environment variables (Homeserver__ServerName=…),
        then --Homeserver:Key=value arguments. See docs/configuration.md.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input, CancellationToken cancellationToken = default)
    {
        var commandLine = CommandLine.Parse(args);
        try
        {
            switch (commandLine.Command)
            {
                case "help":
                    await output.WriteLineAsync(Usage);
                    return 0;
                case "generate-signing-key":
                    return await GenerateSigningKeyAsync(commandLine, output, error);
                case "rotate-signing-key":
                    return await RotateSigningKeyAsync(commandLine, output, error, cancellationToken);
                case "migrate":
                    await using (var app = HomeserverHost.Build(commandLine.ConfigurationArgs, commandLine.ConfigFile))
                    {
                        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
                    }

                    await output.WriteLineAsync("The database is up to date.");
                    return 0;
                case "register-user":
                    return await RegisterUserAsync(commandLine, output, error, input, cancellationToken);
                case "create-registration-token":
                    return await CreateRegistrationTokenAsync(commandLine, output, error, cancellationToken);
                default:
                    await using (var app = HomeserverHost.Build(commandLine.ConfigurationArgs, commandLine.ConfigFile))
                    {
                        await HomeserverStartup.PrepareAsync(app, cancellationToken);
                        await app.RunAsync();
                    }

                    return 0;
            }
        }
        catch (ConfigurationException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static async Task<int> RegisterUserAsync(CommandLine commandLine, TextWriter output, TextWriter error, TextReader input, CancellationToken cancellationToken)
    {
        if (commandLine.Positional.Count != 1)
        {
            await error.WriteLineAsync("Usage: homeserver register-user NAME [--password PASSWORD] [--admin]");
            return 2;
        }

        var password = commandLine.Flags.GetValueOrDefault("--password") ?? await input.ReadLineAsync(cancellationToken);
        if (string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("A password is required (--password, or one line on standard input).");
            return 2;
        }

        await using var app = HomeserverHost.Build(commandLine.ConfigurationArgs, commandLine.ConfigFile);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            var userId = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .RegisterAsync(commandLine.Positional[0], password, commandLine.Flags.ContainsKey("--admin"), cancellationToken);
            await output.WriteLineAsync($"Created {userId}.");
            return 0;
        }
        catch (MatrixException e)
        {
            await error.WriteLineAsync($"{e.ErrorCode}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> CreateRegistrationTokenAsync(CommandLine commandLine, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        int? uses = null;
        double? days = null;
        if (commandLine.Flags.GetValueOrDefault("--uses") is { } usesText)
        {
            uses = int.TryParse(usesText, System.Globalization.CultureInfo.InvariantCulture, out var u) ? u : -1;
        }

        if (commandLine.Flags.GetValueOrDefault("--expires-in-days") is { } daysText)
        {
            days = double.TryParse(daysText, System.Globalization.CultureInfo.InvariantCulture, out var d) && d > 0 ? d : null;
            if (days is null)
            {
                await error.WriteLineAsync("--expires-in-days needs a positive number of days.");
                return 2;
            }
        }

        await using var app = HomeserverHost.Build(commandLine.ConfigurationArgs, commandLine.ConfigFile);
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            var token = await scope.ServiceProvider.GetRequiredService<RegistrationTokens>()
                .CreateAsync(commandLine.Flags.GetValueOrDefault("--token"), uses, days is { } valid ? TimeSpan.FromDays(valid) : null, cancellationToken);
            await output.WriteLineAsync(token);
            return 0;
        }
        catch (MatrixException e)
        {
            await error.WriteLineAsync($"{e.ErrorCode}: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> GenerateSigningKeyAsync(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        var path = commandLine.Flags.GetValueOrDefault("--output");
        if (path is null)
        {
            var configuration = new ConfigurationBuilder()
                .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
                .AddOverrides(commandLine.ConfigFile, commandLine.ConfigurationArgs)
                .Build();
            var options = HomeserverOptionsLoader.Load(configuration);
            Directory.CreateDirectory(options.DataDirectory);
            path = SigningKeyFile.DefaultPath(options);
        }

        if (File.Exists(path))
        {
            await error.WriteLineAsync($"{path} exists already; a signing key is never overwritten (other servers trust it).");
            return 1;
        }

        var key = SigningKeyFile.Generate();
        SigningKeyFile.Write(path, key);
        await output.WriteLineAsync($"Wrote signing key {key.KeyId} to {path}.");
        return 0;
    }

    private static async Task<int> RotateSigningKeyAsync(CommandLine commandLine, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var app = HomeserverHost.Build(commandLine.ConfigurationArgs, commandLine.ConfigFile);
        var path = SigningKeyFile.DefaultPath(app.Services.GetRequiredService<HomeserverOptions>());
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"{path} does not exist: there is no key to rotate (the server creates one when it first starts).");
            return 1;
        }

        var old = app.Services.GetRequiredService<SigningKey>();
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The old key may predate the key table; once stored, the next start publishes it as expired.
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
            await scope.ServiceProvider.GetRequiredService<IOwnSigningKeyStore>().RecordCurrentAsync(old, now, cancellationToken);
        }

        var next = SigningKeyFile.Generate();
        while (next.KeyId == old.KeyId)
        {
            next = SigningKeyFile.Generate();
        }

        var retired = $"{path}.{old.Version}.old";
        File.Move(path, retired);
        SigningKeyFile.Write(path, next);
        await output.WriteLineAsync($"Replaced signing key {old.KeyId} with {next.KeyId}; the old key is in {retired}. Restart the server to sign with the new key.");
        return 0;
    }
}
