using Homeserver.Protocol.Federation;

namespace Homeserver.Core.Server;

/// <summary>
/// The keys this server signed with before its current one (server-server API, <c>old_verify_keys</c>), read from
/// the database once at start-up, before the listeners open.
/// </summary>
public sealed class OldSigningKeys
{
    private IReadOnlyList<PublishedKey> _keys = [];

    public IReadOnlyList<PublishedKey> Keys => Volatile.Read(ref _keys);

    public void Set(IReadOnlyList<PublishedKey> keys) => Volatile.Write(ref _keys, keys);
}
