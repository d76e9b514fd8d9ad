using System.Text;
using Homeserver.Core.Media.Preview;

namespace Homeserver.Tests.Media;

public sealed class OpenGraphParserTests
{
    [Fact]
    public void Tags_are_read_from_untidy_html_with_entities_relative_urls_and_integer_sizes()
    {
        var html = """
            <HTML><head>
            <META property='og:title' content="Caf&eacute; &quot;Matrix&quot;"/>
            <meta content="https://example.org/a b.png" property=og:image >
            <meta property="og:image:width" content="640"><meta property="og:image:height" content="x480">
            <meta property="og:title" content="a second title is ignored">
            <meta name="DESCRIPTION" content="fallback description">
            """;

        var properties = OpenGraphParser.Parse(Encoding.UTF8.GetBytes(html), "text/html", new Uri("https://example.org/page"));

        Assert.Equal("Café \"Matrix\"", (string?)properties["og:title"]);
        Assert.Equal("https://example.org/a%20b.png", (string?)properties["og:image"]);
        Assert.Equal(640, (long)properties["og:image:width"]!);
        Assert.Equal("x480", (string?)properties["og:image:height"]);
        Assert.Equal("fallback description", (string?)properties["og:description"]);
    }

    [Fact]
    public void A_latin1_page_is_decoded_by_its_declared_charset()
    {
        var html = Encoding.Latin1.GetBytes("<title>Gr\u00fc\u00dfe</title>");

        var properties = OpenGraphParser.Parse(html, "text/html; charset=ISO-8859-1", new Uri("https://example.org/"));

        Assert.Equal("Grüße", (string?)properties["og:title"]);
    }
}
