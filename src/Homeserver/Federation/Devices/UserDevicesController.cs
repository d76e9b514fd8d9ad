using System.Text.Json.Nodes;
using Homeserver.Core.Keys;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Devices;

/// <summary><c>GET /_matrix/federation/v1/user/devices/{userId}</c> (server-server API, "Device Management").</summary>
public sealed class UserDevicesController(KeysService keys) : FederationApiController
{
    [HttpGet("_matrix/federation/v1/user/devices/{userId}")]
    public Task<JsonObject> GetAsync(string userId, CancellationToken cancellationToken) =>
        keys.UserDevicesAsync(userId, cancellationToken);
}
