using System.Text.Json.Nodes;

namespace Homeserver.Core.Federation;

/// <summary>
/// The port to other homeservers: server-server API requests signed by this server (X-Matrix), sent to the address
/// that server discovery finds for the destination.
/// </summary>
public interface IFederationClient
{
    /// <summary>Sends one signed request; the JSON body of a 2xx answer (null when it had none).</summary>
    /// <param name="pathAndQuery">The path with its query string, already escaped, starting with <c>/_matrix/</c>.</param>
    /// <exception cref="FederationException">The destination could not be reached, or answered with an error.</exception>
    Task<JsonNode?> SendAsync(HttpMethod method, string destination, string pathAndQuery, JsonNode? body, CancellationToken cancellationToken);
}
