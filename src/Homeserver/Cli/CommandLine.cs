namespace Homeserver.Cli;

/// <summary>The parsed command line: the command, the <c>--config</c> file, and everything else.</summary>
internal sealed record CommandLine(string Command, string? ConfigFile, IReadOnlyList<string> Positional, IReadOnlyDictionary<string, string?> Flags, string[] ConfigurationArgs)
{
    public static readonly string[] Commands = ["run", "migrate", "register-user", "create-registration-token", "generate-signing-key", "rotate-signing-key", "help"];

    private static readonly HashSet<string> CommandFlags = new(StringComparer.Ordinal) { "--password", "--admin", "--output", "--token", "--uses", "--expires-in-days", "--help", "-h" };
    private static readonly HashSet<string> ValuedFlags = new(StringComparer.Ordinal) { "--password", "--output", "--config", "--token", "--uses", "--expires-in-days" };

    public static CommandLine Parse(string[] args)
    {
        string? command = null;
        string? configFile = null;
        var positional = new List<string>();
        var flags = new Dictionary<string, string?>(StringComparer.Ordinal);
        var configurationArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            if (name == "--config" || CommandFlags.Contains(name))
            {
                var value = inlineValue;
                if (value is null && ValuedFlags.Contains(name) && i + 1 < args.Length)
                {
                    value = args[++i];
                }

                if (name == "--config")
                {
                    configFile = value;
                }
                else
                {
                    flags[name] = value;
                }
            }
            else if (args[i].StartsWith('-'))
            {
                // Anything else that looks like an option is a configuration override, e.g. --Homeserver:ServerName=x.
                configurationArgs.Add(args[i]);
            }
            else if (command is null && Commands.Contains(args[i]))
            {
                command = args[i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        if (flags.ContainsKey("--help") || flags.ContainsKey("-h"))
        {
            command = "help";
        }

        return new CommandLine(command ?? "run", configFile, positional, flags, [.. configurationArgs]);
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 && !arg.Contains(':', StringComparison.Ordinal)
            ? (arg[..equals], arg[(equals + 1)..])
            : (arg, null);
    }
}
