using Homeserver.Protocol.Federation;
using Homeserver.Protocol.Signing;

namespace Homeserver.Core.Server;

/// <summary>Every key this server has signed with, kept so that it can still publish the old ones after a rotation.</summary>
public interface IOwnSigningKeyStore
{
    /// <summary>
    /// Records <paramref name="current"/> as the key in use and every other key still marked in use as expired at
    /// <paramref name="nowTs"/>; returns the expired keys, each with its <c>expired_ts</c> as its validity.
    /// </summary>
    Task<IReadOnlyList<PublishedKey>> RecordCurrentAsync(SigningKey current, long nowTs, CancellationToken cancellationToken);
}
