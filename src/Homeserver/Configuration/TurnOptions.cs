namespace Homeserver.Configuration;

public sealed class TurnOptions
{
    /// <summary>e.g. <c>turn:turn.example.org:3478?transport=udp</c>.</summary>
    public List<string> Uris { get; set; } = [];

    /// <summary>The <c>static-auth-secret</c> of the TURN server.</summary>
    public string? SharedSecret { get; set; }

    public int LifetimeSeconds { get; set; } = 86_400;
}
