using System.Text.Json.Nodes;

namespace Homeserver.Client.Keys;

/// <summary>The body of <c>POST /keys/upload</c>; the key objects are checked (and their signatures verified) in Core.</summary>
public sealed record KeysUploadRequest(JsonObject? DeviceKeys = null, JsonObject? OneTimeKeys = null, JsonObject? FallbackKeys = null);
