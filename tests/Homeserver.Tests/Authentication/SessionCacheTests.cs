using Homeserver.Core.Authentication;

namespace Homeserver.Tests.Authentication;

public sealed class SessionCacheTests
{
    private static readonly Session Alice = new("@alice:example.org", "PHONE", IsAdmin: false);
    private static readonly Session Bob = new("@bob:example.org", "LAPTOP", IsAdmin: false);

    [Fact]
    public void Forgetting_a_user_drops_their_sessions_only()
    {
        var cache = new SessionCache(TimeProvider.System);
        cache.Add("a", Alice, cache.Generation);
        cache.Add("b", Bob, cache.Generation);

        cache.ForgetUser(Alice.UserId);

        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("b", out var bob));
        Assert.Equal(Bob, bob);
    }

    [Fact]
    public void A_session_read_before_a_change_committed_is_not_kept()
    {
        var cache = new SessionCache(TimeProvider.System);
        var before = cache.Generation;
        cache.ForgetUser(Bob.UserId);

        cache.Add("a", Alice, before);

        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Sessions_age_out()
    {
        var clock = new SettableClock();
        var cache = new SessionCache(clock);
        cache.Add("a", Alice, cache.Generation);

        clock.Now += TimeSpan.FromSeconds(59);
        Assert.True(cache.TryGet("a", out _));
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.False(cache.TryGet("a", out _));
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
