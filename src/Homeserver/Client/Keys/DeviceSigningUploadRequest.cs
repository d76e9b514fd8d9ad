using System.Text.Json.Nodes;

namespace Homeserver.Client.Keys;

/// <summary>The body of <c>POST /keys/device_signing/upload</c>.</summary>
public sealed record DeviceSigningUploadRequest(
    JsonObject? MasterKey = null,
    JsonObject? SelfSigningKey = null,
    JsonObject? UserSigningKey = null,
    JsonObject? Auth = null);
