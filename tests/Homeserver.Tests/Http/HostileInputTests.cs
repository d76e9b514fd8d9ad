using System.Net;
using System.Text.RegularExpressions;
using Homeserver.Storage;
using Homeserver.Tests.Hosting;
using Homeserver.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Homeserver.Tests.Http;

/// <summary>
/// Every client endpoint the server maps, present and future, answers malformed and hostile input with a client
/// error, never a server error: path parameters and bodies are filled with odd values and sent with a valid token.
/// </summary>
public sealed partial class HostileInputTests
{
    private static readonly string[] Segments = ["%20", "%00", "%C3%28", new string('a', 300)];

    private static readonly string[] Bodies =
    [
        "",
        "{",
        new string('[', 200) + new string(']', 200),
        "[]",
        """{"a":[1,{"b":null}],"type":{"x":1},"auth":{"session":5},"devices":[1],"limit":1e400}""",
    ];

    [Theory]
    [OnEveryDatabase]
    public async Task No_endpoint_answers_a_server_error(DatabaseProvider provider)
    {
        await using var server = await TestHomeserver.StartAsync(provider, "--Homeserver:Registration:Enabled=true");
        var (_, token) = await server.CreateUserAsync("hostile");
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } t
                && (t.StartsWith("_matrix/client/v", StringComparison.Ordinal) || t.StartsWith("_matrix/media/", StringComparison.Ordinal)))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Template: e.RoutePattern.RawText!)))
            // Logging out would end the session the rest of the requests use.
            .Where(e => !e.Template.Contains("logout", StringComparison.Ordinal))
            .ToList();

        var failures = new List<string>();
        foreach (var (method, template) in endpoints)
        {
            foreach (var segment in Segments)
            {
                var path = "/" + Parameter().Replace(template, segment);
                foreach (var body in Bodies)
                {
                    var (response, _) = await server.SendAsync(new HttpMethod(method), path, body, token);
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{(int)response.StatusCode} {method} {path[..Math.Min(path.Length, 80)]} body={body[..Math.Min(body.Length, 20)]}");
                    }
                }
            }
        }

        Assert.True(endpoints.Count > 20, $"only {endpoints.Count} endpoints found");
        Assert.Empty(failures);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
