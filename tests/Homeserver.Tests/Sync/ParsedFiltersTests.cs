using Homeserver.Core.Sync.Filters;

namespace Homeserver.Tests.Sync;

public sealed class ParsedFiltersTests
{
    [Fact]
    public void Filters_past_the_bound_are_dropped_and_the_newest_kept()
    {
        var parsed = new ParsedFilters();
        var keys = Enumerable.Range(0, 5).Select(i => "{" + new string((char)('a' + i), 1024 * 1024)).ToList();

        foreach (var key in keys)
        {
            parsed.Add(key, new SyncFilter(EventFormat: key[1..2]));
        }

        Assert.False(parsed.TryGet(keys[0], out _));
        Assert.True(parsed.TryGet(keys[4], out var newest));
        Assert.Equal("e", newest.EventFormat);
    }

    [Fact]
    public void Stored_filters_of_different_users_have_different_keys() =>
        Assert.NotEqual(ParsedFilters.StoredKey("@a:example.org", 0), ParsedFilters.StoredKey("@b:example.org", 0));
}
