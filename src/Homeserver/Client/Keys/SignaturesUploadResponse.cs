using System.Text.Json.Nodes;

namespace Homeserver.Client.Keys;

public sealed record SignaturesUploadResponse(JsonObject Failures);
