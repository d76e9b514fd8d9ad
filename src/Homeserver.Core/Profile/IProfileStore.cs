using System.Text.Json.Nodes;

namespace Homeserver.Core.Profile;

/// <summary>The port for local users' profile fields.</summary>
public interface IProfileStore
{
    /// <summary>Every field of the user's profile; null when there is no such local user.</summary>
    Task<JsonObject?> GetProfileAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Sets one field, leaving the others as they are.</summary>
    Task SetFieldAsync(string userId, string key, JsonNode? value, CancellationToken cancellationToken);

    Task DeleteFieldAsync(string userId, string key, CancellationToken cancellationToken);
}
