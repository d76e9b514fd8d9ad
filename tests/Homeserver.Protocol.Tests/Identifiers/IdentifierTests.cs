using Homeserver.Protocol.Identifiers;

namespace Homeserver.Protocol.Tests.Identifiers;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("matrix.org", "matrix.org", null)]
    [InlineData("matrix.org:8888", "matrix.org", 8888)]
    [InlineData("1.2.3.4", "1.2.3.4", null)]
    [InlineData("1.2.3.4:1234", "1.2.3.4", 1234)]
    [InlineData("[1234:5678::abcd]", "[1234:5678::abcd]", null)]
    [InlineData("[1234:5678::abcd]:5678", "[1234:5678::abcd]", 5678)]
    [InlineData("localhost", "localhost", null)]
    public void Server_names_of_the_spec_are_accepted(string value, string host, int? port)
    {
        Assert.True(ServerName.TryParse(value, out var name));
        Assert.Equal(host, name.Host);
        Assert.Equal(port, name.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("matrix.org:")]
    [InlineData("matrix.org:0")]
    [InlineData("matrix.org:65536")]
    [InlineData("matrix.org:12a")]
    [InlineData("under_score.org")]
    [InlineData("sp ace.org")]
    [InlineData("[1234:5678::abcd")]
    [InlineData("[not-ipv6]")]
    [InlineData("[::1]x")]
    public void Invalid_server_names_are_refused(string value) => Assert.False(ServerName.TryParse(value, out _));

    [Fact]
    public void Server_names_are_at_most_255_characters()
    {
        Assert.True(ServerName.TryParse(new string('a', 255), out _));
        Assert.False(ServerName.TryParse(new string('a', 256), out _));
    }

    [Theory]
    [InlineData("@alice:example.org", "alice", "example.org", true)]
    [InlineData("@a.b_c=d-e/f+g:example.org:8448", "a.b_c=d-e/f+g", "example.org:8448", true)]
    [InlineData("@Alice:example.org", "Alice", "example.org", false)]
    [InlineData("@al!ce:example.org", "al!ce", "example.org", false)]
    public void User_ids_parse_with_current_or_historical_grammar(string value, string localpart, string server, bool current)
    {
        Assert.True(UserId.TryParse(value, out var id));
        Assert.Equal(localpart, id.Localpart);
        Assert.Equal(server, id.Server.Value);
        Assert.Equal(current, id.IsCurrentGrammar);
    }

    [Theory]
    [InlineData("alice:example.org")]
    [InlineData("@:example.org")]
    [InlineData("@alice")]
    [InlineData("@alice:")]
    [InlineData("@ali ce:example.org")]
    [InlineData("@alice:bad_server")]
    public void Invalid_user_ids_are_refused(string value) => Assert.False(UserId.TryParse(value, out _));

    [Fact]
    public void User_ids_are_at_most_255_bytes()
    {
        var server = ":example.org";
        Assert.True(UserId.TryParse("@" + new string('a', 255 - 1 - server.Length) + server, out _));
        Assert.False(UserId.TryParse("@" + new string('a', 256 - 1 - server.Length) + server, out _));
    }
}
