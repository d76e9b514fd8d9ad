namespace Homeserver.Configuration;

/// <summary>Where the client-server and server-server APIs are served; both may name the same URL.</summary>
public sealed class ListenerOptions
{
    public string Client { get; set; } = "http://127.0.0.1:8008";

    public string Federation { get; set; } = "https://0.0.0.0:8448";
}
