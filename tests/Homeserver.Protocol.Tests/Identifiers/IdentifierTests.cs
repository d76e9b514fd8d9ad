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

    [Theory]
    [InlineData("!abc:example.org", "abc", "example.org")]
    [InlineData("!a%b:[::1]:80", "a%b", "[::1]:80")]
    [InlineData("!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM", "31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM", null)]
    public void Room_ids_with_and_without_a_server(string value, string opaque, string? server)
    {
        Assert.True(RoomId.TryParse(value, out var id));
        Assert.Equal(opaque, id.Opaque);
        Assert.Equal(server, id.Server?.Value);
    }

    [Theory]
    [InlineData("abc:example.org")]
    [InlineData("!:example.org")]
    [InlineData("!")]
    [InlineData("!abc:bad_server")]
    [InlineData("!a\0b:example.org")]
    public void Invalid_room_ids_are_refused(string value) => Assert.False(RoomId.TryParse(value, out _));

    [Fact]
    public void A_version_12_room_id_is_the_create_event_id_with_the_room_sigil() =>
        Assert.Equal("!31hneApxJ_1o", RoomId.FromCreateEventId(EventId.Parse("$31hneApxJ_1o")).Value);

    [Theory]
    [InlineData("$abc:example.org", "example.org")]
    [InlineData("$acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk", null)]
    [InlineData("$acR1l0raoZnm60CBwAVgqbZqoO_mYU81xysh1u7XcJk", null)]
    public void Event_ids_of_every_format(string value, string? server)
    {
        Assert.True(EventId.TryParse(value, out var id));
        Assert.Equal(server, id.Server?.Value);
    }

    [Theory]
    [InlineData("#room:example.org", true)]
    [InlineData("#日本:example.org", true)]
    [InlineData("#room", false)]
    [InlineData("#:example.org", false)]
    [InlineData("room:example.org", false)]
    public void Room_aliases_need_a_localpart_and_a_server(string value, bool valid) => Assert.Equal(valid, RoomAlias.TryParse(value, out _));

    [Fact]
    public void Every_identifier_is_at_most_255_bytes()
    {
        var longOpaque = new string('a', 255 - ":example.org".Length);
        Assert.True(RoomAlias.TryParse("#" + longOpaque[1..] + ":example.org", out _));
        Assert.False(RoomAlias.TryParse("#" + longOpaque + ":example.org", out _));
        Assert.False(RoomId.TryParse("!" + longOpaque + ":example.org", out _));
        Assert.False(EventId.TryParse("$" + new string('a', 255), out _));
    }

    [Theory]
    [InlineData("ed25519:1", "ed25519", "1")]
    [InlineData("ed25519:a_Xyz1", "ed25519", "a_Xyz1")]
    public void Key_ids_split_into_algorithm_and_version(string value, string algorithm, string version)
    {
        Assert.True(KeyId.TryParse(value, out var id));
        Assert.Equal(algorithm, id.Algorithm);
        Assert.Equal(version, id.Version);
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("ed25519:")]
    [InlineData(":1")]
    [InlineData("ed25519:a-b")]
    public void Invalid_key_ids_are_refused(string value) => Assert.False(KeyId.TryParse(value, out _));
}
