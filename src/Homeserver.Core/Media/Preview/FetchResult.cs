namespace Homeserver.Core.Media.Preview;

/// <summary>What fetching a URL gave: expected failures are values, not exceptions.</summary>
/// <param name="Body">At most the number of bytes asked for.</param>
/// <param name="Truncated">The resource was longer than the bytes read.</param>
public sealed record FetchResult(FetchStatus Status, Uri? FinalUrl = null, string? ContentType = null, byte[]? Body = null, bool Truncated = false)
{
    public static FetchResult Blocked { get; } = new(FetchStatus.Blocked);

    public static FetchResult Failed { get; } = new(FetchStatus.Failed);
}
