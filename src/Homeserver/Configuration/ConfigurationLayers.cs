namespace Homeserver.Configuration;

/// <summary>The layers above appsettings.json, in order of precedence: the --config file, the environment, the command line.</summary>
public static class ConfigurationLayers
{
    /// <exception cref="ConfigurationException">The --config file does not exist.</exception>
    public static IConfigurationBuilder AddOverrides(this IConfigurationBuilder builder, string? configFile, string[] args)
    {
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new ConfigurationException($"Configuration error: the file given with --config, '{configFile}', does not exist.");
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        // Added again after the file so that they keep winning over it.
        return builder.AddEnvironmentVariables().AddCommandLine(args);
    }
}
