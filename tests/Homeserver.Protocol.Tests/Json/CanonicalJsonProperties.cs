using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Homeserver.Protocol.Json;

namespace Homeserver.Protocol.Tests.Json;

public sealed class CanonicalJsonProperties
{
    private static readonly Gen<string> Keys = Gen.String[Gen.Char.AlphaNumeric, 0, 6]
        .Select(Gen.Int[0, 5].Select(i => new[] { "", "é", "日", "😀", "\uFB01", "\n" }[i]), (s, suffix) => s + suffix);

    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf<JsonNode?>(
        Gen.Long[-CanonicalJson.MaxSafeInteger, CanonicalJson.MaxSafeInteger].Select(n => (JsonNode?)JsonValue.Create(n)),
        Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Bool.Select(_ => (JsonNode?)null));

    private static readonly Gen<List<KeyValuePair<string, JsonNode?>>> Members =
        Gen.Select(Keys, Gen.OneOf(Leaf, Leaf.Array[0, 3].Select(a => (JsonNode?)new JsonArray(a))), KeyValuePair.Create)
            .List[0, 8];

    [Fact]
    public void Encoding_is_idempotent() =>
        Members.Sample(members =>
        {
            var canonical = CanonicalJson.Encode(Build(members));
            Assert.True(CanonicalJson.TryParse(canonical, strict: true, out var reparsed, out var error), error);
            Assert.Equal(canonical, CanonicalJson.Encode(reparsed));
        });

    [Fact]
    public void Encoding_does_not_depend_on_key_order() =>
        Members.Sample(members =>
        {
            var distinct = members.DistinctBy(m => m.Key, StringComparer.Ordinal).ToList();
            var reversed = Enumerable.Reverse(distinct).ToList();
            Assert.Equal(Encoding.UTF8.GetString(CanonicalJson.Encode(Build(distinct))), Encoding.UTF8.GetString(CanonicalJson.Encode(Build(reversed))));
        });

    private static JsonObject Build(IEnumerable<KeyValuePair<string, JsonNode?>> members)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in members)
        {
            obj[key] = value?.DeepClone();
        }

        return obj;
    }
}
