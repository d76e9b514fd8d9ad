using Homeserver.Core.Errors;
using Homeserver.Core.Keys;

namespace Homeserver.Core.Devices;

/// <summary>The checks on a device ID and display name a client chooses, made before anything is stored.</summary>
public static class DeviceNames
{
    // Synapse's limit; clients show the name in lists, and other users see it in device lists.
    private const int MaxDisplayNameLength = 100;

    /// <exception cref="MatrixException">400 <c>M_INVALID_PARAM</c> or <c>M_TOO_LARGE</c>.</exception>
    public static void Check(string? deviceId, string? displayName)
    {
        if (deviceId is not null)
        {
            KeyJson.RequireIdentifier(deviceId, "device_id");
        }

        CheckDisplayName(displayName);
    }

    /// <exception cref="MatrixException">400 <c>M_INVALID_PARAM</c> or <c>M_TOO_LARGE</c>.</exception>
    public static void CheckDisplayName(string? displayName)
    {
        if (displayName is null)
        {
            return;
        }

        if (displayName.Length > MaxDisplayNameLength)
        {
            throw new MatrixException(Protocol.Errors.ErrorCode.TooLarge, 400, $"A device display name has at most {MaxDisplayNameLength} characters");
        }

        // PostgreSQL refuses NUL in text; no other control character belongs in a name either.
        if (displayName.Any(char.IsControl))
        {
            throw MatrixException.InvalidParam("A device display name holds no control characters");
        }
    }
}
