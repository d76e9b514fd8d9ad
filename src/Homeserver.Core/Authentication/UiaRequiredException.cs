using Homeserver.Core.Errors;
using Homeserver.Protocol.Errors;

namespace Homeserver.Core.Authentication;

/// <summary>
/// User-interactive authentication is not complete (client-server API, "User-Interactive Authentication API"):
/// answered 401 with the flows, the session and the stages completed so far, and an error only when a stage failed.
/// </summary>
public sealed class UiaRequiredException : MatrixException
{
    public UiaRequiredException(string session, IReadOnlyList<IReadOnlyList<string>> flows, IReadOnlyList<string> completed, ErrorCode? stageError = null, string? message = null)
        : base(stageError ?? ErrorCode.Unauthorized, 401, message ?? "Additional authentication is required")
    {
        Session = session;
        Flows = flows;
        Completed = completed;
        StageError = stageError;
    }

    public UiaRequiredException()
        : this(string.Empty, [], [])
    {
    }

    public UiaRequiredException(string message)
        : this(string.Empty, [], [], null, message)
    {
    }

    public UiaRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
        Session = string.Empty;
        Flows = [];
        Completed = [];
    }

    public string Session { get; }

    public IReadOnlyList<IReadOnlyList<string>> Flows { get; }

    public IReadOnlyList<string> Completed { get; }

    /// <summary>Set when the client's last stage failed; absent on the first answer.</summary>
    public ErrorCode? StageError { get; }
}
