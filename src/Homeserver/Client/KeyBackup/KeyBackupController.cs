using Homeserver.Core.KeyBackup;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.KeyBackup;

/// <summary>
/// <c>/_matrix/client/v3/room_keys/version[/{version}]</c> and <c>/room_keys/keys[/{roomId}[/{sessionId}]]</c>
/// (client-server API, "Server-side key backups").
/// </summary>
[Authorize]
public sealed class KeyBackupController(KeyBackupService backups) : ClientApiController
{
    private const string Keys = "_matrix/client/v3/room_keys/keys";

    [HttpPost("_matrix/client/v3/room_keys/version")]
    public async Task<BackupVersionCreatedResponse> CreateVersionAsync([FromBody] BackupVersionRequest request, CancellationToken cancellationToken) =>
        new(await backups.CreateVersionAsync(HttpContext.GetSession(), request.Algorithm, request.AuthData, cancellationToken));

    [HttpGet("_matrix/client/v3/room_keys/version")]
    public async Task<BackupVersionResponse> GetCurrentVersionAsync(CancellationToken cancellationToken) =>
        BackupVersionResponse.From(await backups.GetVersionAsync(HttpContext.GetSession(), null, cancellationToken));

    [HttpGet("_matrix/client/v3/room_keys/version/{version}")]
    public async Task<BackupVersionResponse> GetVersionAsync(string version, CancellationToken cancellationToken) =>
        BackupVersionResponse.From(await backups.GetVersionAsync(HttpContext.GetSession(), version, cancellationToken));

    [HttpPut("_matrix/client/v3/room_keys/version/{version}")]
    public async Task<EmptyResponse> UpdateVersionAsync(string version, [FromBody] BackupVersionRequest request, CancellationToken cancellationToken)
    {
        await backups.UpdateVersionAsync(HttpContext.GetSession(), version, request.Algorithm, request.AuthData, request.Version, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpDelete("_matrix/client/v3/room_keys/version/{version}")]
    public async Task<EmptyResponse> DeleteVersionAsync(string version, CancellationToken cancellationToken)
    {
        await backups.DeleteVersionAsync(HttpContext.GetSession(), version, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPut(Keys)]
    public async Task<RoomKeysUpdateResponse> PutKeysAsync([FromQuery] string? version, [FromBody] RoomKeysBackup body, CancellationToken cancellationToken) =>
        RoomKeysUpdateResponse.From(await backups.PutKeysAsync(HttpContext.GetSession(), version, body.ToKeys(), cancellationToken));

    [HttpPut(Keys + "/{roomId}")]
    public async Task<RoomKeysUpdateResponse> PutRoomKeysAsync(string roomId, [FromQuery] string? version, [FromBody] RoomKeyBackup body, CancellationToken cancellationToken) =>
        RoomKeysUpdateResponse.From(await backups.PutKeysAsync(HttpContext.GetSession(), version, [.. body.ToKeys(roomId)], cancellationToken));

    [HttpPut(Keys + "/{roomId}/{sessionId}")]
    public async Task<RoomKeysUpdateResponse> PutSessionKeyAsync(string roomId, string sessionId, [FromQuery] string? version, [FromBody] KeyBackupData body, CancellationToken cancellationToken) =>
        RoomKeysUpdateResponse.From(await backups.PutKeysAsync(HttpContext.GetSession(), version, [body.ToKey(roomId, sessionId)], cancellationToken));

    [HttpGet(Keys)]
    public async Task<RoomKeysBackup> GetKeysAsync([FromQuery] string? version, CancellationToken cancellationToken) =>
        RoomKeysBackup.From(await backups.GetKeysAsync(HttpContext.GetSession(), version, null, null, cancellationToken));

    [HttpGet(Keys + "/{roomId}")]
    public async Task<RoomKeyBackup> GetRoomKeysAsync(string roomId, [FromQuery] string? version, CancellationToken cancellationToken) =>
        RoomKeyBackup.From(await backups.GetKeysAsync(HttpContext.GetSession(), version, roomId, null, cancellationToken));

    [HttpGet(Keys + "/{roomId}/{sessionId}")]
    public async Task<KeyBackupData> GetSessionKeyAsync(string roomId, string sessionId, [FromQuery] string? version, CancellationToken cancellationToken) =>
        KeyBackupData.From(await backups.GetKeyAsync(HttpContext.GetSession(), version, roomId, sessionId, cancellationToken));

    [HttpDelete(Keys)]
    public async Task<RoomKeysUpdateResponse> DeleteKeysAsync([FromQuery] string? version, CancellationToken cancellationToken) =>
        RoomKeysUpdateResponse.From(await backups.DeleteKeysAsync(HttpContext.GetSession(), version, null, null, cancellationToken));

    [HttpDelete(Keys + "/{roomId}")]
    public async Task<RoomKeysUpdateResponse> DeleteRoomKeysAsync(string roomId, [FromQuery] string? version, CancellationToken cancellationToken) =>
        RoomKeysUpdateResponse.From(await backups.DeleteKeysAsync(HttpContext.GetSession(), version, roomId, null, cancellationToken));

    [HttpDelete(Keys + "/{roomId}/{sessionId}")]
    public async Task<RoomKeysUpdateResponse> DeleteSessionKeyAsync(string roomId, string sessionId, [FromQuery] string? version, CancellationToken cancellationToken) =>
        RoomKeysUpdateResponse.From(await backups.DeleteKeysAsync(HttpContext.GetSession(), version, roomId, sessionId, cancellationToken));
}
