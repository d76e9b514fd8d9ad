using System.Text.Json.Nodes;

namespace Homeserver.Client.DehydratedDevices;

/// <summary>
/// The body of <c>PUT /dehydrated_device</c>; every field is optional here so that Core tells a missing one
/// (<c>M_MISSING_PARAM</c>) from a mistyped one (<c>M_BAD_JSON</c>, from the binder).
/// </summary>
public sealed record DehydratedDeviceRequest(
    string? DeviceId = null,
    JsonObject? DeviceData = null,
    string? InitialDeviceDisplayName = null,
    JsonObject? DeviceKeys = null,
    JsonObject? OneTimeKeys = null,
    JsonObject? FallbackKeys = null);
