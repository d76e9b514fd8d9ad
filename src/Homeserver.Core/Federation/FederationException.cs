namespace Homeserver.Core.Federation;

/// <summary>
/// A federation request that failed: the destination was unreachable (no status) or answered with an error. Remote
/// errors keep their code as sent, so that callers can tell <c>M_FORBIDDEN</c> from <c>M_NOT_FOUND</c>.
/// </summary>
public sealed class FederationException : Exception
{
    public FederationException(string destination, int? statusCode, string? errorCode, string message, Exception? innerException = null)
        : base($"{destination}: {message}", innerException)
    {
        Destination = destination;
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    public FederationException()
        : this("", null, null, "Federation request failed")
    {
    }

    public FederationException(string message)
        : this("", null, null, message)
    {
    }

    public FederationException(string message, Exception innerException)
        : this("", null, null, message, innerException)
    {
    }

    public string Destination { get; }

    /// <summary>The HTTP status of the answer; null when none came (connection refused, TLS failure, timeout, discovery failure).</summary>
    public int? StatusCode { get; }

    public string? ErrorCode { get; }

    /// <summary>Worth retrying later: no answer, a server error or a rate limit, rather than a refusal.</summary>
    public bool IsTransient => StatusCode is null or >= 500 or 429;
}
