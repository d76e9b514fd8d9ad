using System.Collections.Concurrent;

namespace Homeserver.Core.Presence;

/// <summary>The last presence state written per user, so that a sync's <c>set_presence</c> costs no read when nothing changes.</summary>
public sealed class PresenceStates
{
    private readonly ConcurrentDictionary<string, string> _states = new(StringComparer.Ordinal);

    public bool TryGet(string userId, out string state) => _states.TryGetValue(userId, out state!);

    public void Set(string userId, string state) => _states[userId] = state;
}
