using System.Text.Json.Serialization;

namespace Homeserver.Media;

public sealed record MediaConfigResponse([property: JsonPropertyName("m.upload.size")] long UploadSize);
