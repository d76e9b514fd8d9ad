using System.Text.Json.Nodes;
using Homeserver.Protocol.Federation;

namespace Homeserver.Protocol.Tests.Federation;

public sealed class ServerAclTests
{
    private static JsonObject Acl(string json) => JsonNode.Parse(json)!.AsObject();

    [Theory]
    [InlineData("*", "matrix.org", true)]
    [InlineData("*.example.org", "chat.example.org", true)]
    [InlineData("*.example.org", "example.org", false)]
    [InlineData("ma?rix.org", "matrix.org", true)]
    [InlineData("ma?rix.org", "maatrix.org", false)]
    [InlineData("*evil*", "very.EVIL.example", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    public void Globs_match_star_and_question_mark_case_insensitively(string glob, string host, bool expected) =>
        Assert.Equal(expected, ServerAcl.Matches(glob, host));

    [Fact]
    public void Deny_wins_over_allow_and_the_port_is_ignored()
    {
        var acl = Acl("""{"allow":["*"],"deny":["evil.example"]}""");

        Assert.True(ServerAcl.Allows(acl, "good.example:8448"));
        Assert.False(ServerAcl.Allows(acl, "evil.example:8448"));
        Assert.False(ServerAcl.Allows(acl, "evil.example"));
    }

    [Fact]
    public void A_server_no_allow_glob_matches_is_denied()
    {
        Assert.False(ServerAcl.Allows(Acl("""{"allow":["*.example.org"]}"""), "matrix.org"));
        Assert.False(ServerAcl.Allows(Acl("{}"), "matrix.org"));
    }

    [Fact]
    public void IP_literals_are_allowed_unless_the_acl_says_otherwise()
    {
        Assert.True(ServerAcl.Allows(Acl("""{"allow":["*"]}"""), "127.0.0.1:8448"));
        Assert.False(ServerAcl.Allows(Acl("""{"allow":["*"],"allow_ip_literals":false}"""), "127.0.0.1:8448"));
        Assert.False(ServerAcl.Allows(Acl("""{"allow":["*"],"allow_ip_literals":false}"""), "[::1]:8448"));
        Assert.True(ServerAcl.Allows(Acl("""{"allow":["*"],"allow_ip_literals":false}"""), "matrix.org"));
    }
}
