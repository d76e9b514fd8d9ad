using System.Reflection;

namespace Homeserver.Core.Server;

/// <summary>What this server says about itself to clients and other servers.</summary>
public static class ServerSoftware
{
    public const string Name = "Homeserver";

    public static string Version { get; } =
        typeof(ServerSoftware).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>
    /// The client-server spec versions advertised in <c>/versions</c>. A version is listed only once every feature it
    /// requires is really served, so clients are not told of endpoints that answer <c>M_UNRECOGNIZED</c>.
    /// </summary>
    public static IReadOnlyList<string> ClientSpecVersions { get; } = [];
}
