using System.Text.Json.Nodes;
using Homeserver.Core.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Capabilities;

/// <summary><c>GET /_matrix/client/v3/capabilities</c> (client-server API, "Capabilities negotiation").</summary>
[Authorize]
public sealed class CapabilitiesController : ClientApiController
{
    [HttpGet("_matrix/client/v3/capabilities")]
    public JsonObject Get() => new() { ["capabilities"] = ServerCapabilities.Describe() };
}
