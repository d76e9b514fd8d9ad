using Homeserver.Protocol.Errors;

namespace Homeserver.Core.Errors;

/// <summary>
/// A request that cannot be served, with the spec's error code and HTTP status. Thrown by use cases and mapped to
/// the standard error response in one place, at the HTTP edge.
/// </summary>
public class MatrixException : Exception
{
    public MatrixException(ErrorCode errorCode, int statusCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    public MatrixException()
        : this(ErrorCode.Unknown, 500, "Internal server error")
    {
    }

    public MatrixException(string message)
        : this(ErrorCode.Unknown, 500, message)
    {
    }

    public MatrixException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = ErrorCode.Unknown;
        StatusCode = 500;
    }

    public ErrorCode ErrorCode { get; }

    public int StatusCode { get; }

    /// <summary>For <c>M_LIMIT_EXCEEDED</c>: how long the client should wait.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Fields some errors carry beside <c>errcode</c> and <c>error</c> (e.g. <c>current_version</c>).</summary>
    public IReadOnlyDictionary<string, string>? Details { get; init; }

    public static MatrixException BadJson(string message) => new(ErrorCode.BadJson, 400, message);

    public static MatrixException NotJson(string message) => new(ErrorCode.NotJson, 400, message);

    public static MatrixException MissingParam(string message) => new(ErrorCode.MissingParam, 400, message);

    public static MatrixException InvalidParam(string message) => new(ErrorCode.InvalidParam, 400, message);

    public static MatrixException Forbidden(string message) => new(ErrorCode.Forbidden, 403, message);

    public static MatrixException NotFound(string message) => new(ErrorCode.NotFound, 404, message);

    public static MatrixException Unrecognized(string message) => new(ErrorCode.Unrecognized, 404, message);

    public static MatrixException TooLarge(string message) => new(ErrorCode.TooLarge, 413, message);

    public static MatrixException LimitExceeded(TimeSpan retryAfter) =>
        new(ErrorCode.LimitExceeded, 429, "Too many requests") { RetryAfter = retryAfter };
}
