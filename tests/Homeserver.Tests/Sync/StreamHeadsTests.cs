using Homeserver.Core.Sync.Streams;

namespace Homeserver.Tests.Sync;

/// <summary>What memory may claim about membership changes: nothing before start-up sets the floor, nothing before the floor.</summary>
public sealed class StreamHeadsTests
{
    [Fact]
    public void No_membership_change_is_claimed_before_the_floor_or_after_a_head()
    {
        var heads = new StreamHeads();
        Assert.False(heads.NoMembershipChangeAfter("@a:hs", [1], since: 100));

        heads.SetFloor(50);
        Assert.True(heads.NoMembershipChangeAfter("@a:hs", [1, 2], since: 50));
        Assert.False(heads.NoMembershipChangeAfter("@a:hs", [1, 2], since: 49));

        heads.AdvanceRoomMembership(2, 60);
        Assert.False(heads.NoMembershipChangeAfter("@a:hs", [1, 2], since: 59));
        Assert.True(heads.NoMembershipChangeAfter("@a:hs", [1, 2], since: 60));
        Assert.True(heads.NoMembershipChangeAfter("@a:hs", [1], since: 55));

        var version = heads.MembershipVersion("@a:hs");
        heads.AdvanceMembership("@a:hs", 70);
        Assert.False(heads.NoMembershipChangeAfter("@a:hs", [1], since: 65));
        Assert.True(heads.NoMembershipChangeAfter("@b:hs", [1], since: 65));
        Assert.NotEqual(version, heads.MembershipVersion("@a:hs"));
    }
}
