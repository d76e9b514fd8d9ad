using System.Globalization;
using Homeserver.Core.Errors;

namespace Homeserver.Core.Media;

/// <summary>The query parameters common to the download and thumbnail endpoints.</summary>
/// <param name="AllowRemote">False forbids fetching remote media (the spec's guard against routing loops).</param>
/// <param name="Timeout">How long to wait for created media whose content has not arrived yet.</param>
public sealed record MediaQuery(bool AllowRemote, TimeSpan Timeout)
{
    /// <summary>The spec's default for <c>timeout_ms</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The longest wait granted; the spec asks the server to impose one.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(60);

    public static MediaQuery Default { get; } = new(true, DefaultTimeout);

    /// <exception cref="MatrixException">400 M_INVALID_PARAM for values that are not booleans or integers.</exception>
    public static MediaQuery Parse(string? allowRemote, string? timeoutMs)
    {
        var timeout = DefaultTimeout;
        if (!string.IsNullOrEmpty(timeoutMs))
        {
            if (!long.TryParse(timeoutMs, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                throw MatrixException.InvalidParam("timeout_ms must be a non-negative integer");
            }

            timeout = TimeSpan.FromMilliseconds(Math.Min(ms, (long)MaxTimeout.TotalMilliseconds));
        }

        return new MediaQuery(ParseBoolean("allow_remote", allowRemote) ?? true, timeout);
    }

    internal static bool? ParseBoolean(string name, string? value) => value switch
    {
        null or "" => null,
        "true" => true,
        "false" => false,
        _ => throw MatrixException.InvalidParam($"{name} must be true or false"),
    };
}
