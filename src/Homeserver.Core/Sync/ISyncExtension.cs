using System.Text.Json.Nodes;

namespace Homeserver.Core.Sync;

/// <summary>
/// A stream that adds its part to a <c>/sync</c> response (ephemeral events, to-device messages, device lists …).
/// </summary>
public interface ISyncExtension
{
    /// <returns>True when it added something the client has not seen.</returns>
    Task<bool> AddAsync(SyncContext context, CancellationToken cancellationToken);
}
