namespace Homeserver.Core.Media.Preview;

public enum FetchStatus
{
    Ok,

    /// <summary>The URL leads to an address the server refuses to connect to (loopback, private, link-local …).</summary>
    Blocked,

    /// <summary>No usable answer: unreachable, timed out, or not a 2xx status.</summary>
    Failed,
}
