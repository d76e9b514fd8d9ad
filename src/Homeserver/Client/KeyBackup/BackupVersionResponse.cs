using System.Text.Json.Nodes;
using Homeserver.Core.KeyBackup;

namespace Homeserver.Client.KeyBackup;

public sealed record BackupVersionResponse(string Algorithm, JsonObject AuthData, long Count, string Etag, string Version)
{
    public static BackupVersionResponse From(BackupVersion version) =>
        new(version.Algorithm, JsonNode.Parse(version.AuthDataJson)!.AsObject(), version.Count, version.Etag, version.Version);
}
