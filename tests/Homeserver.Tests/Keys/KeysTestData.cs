using System.Net;
using System.Text.Json.Nodes;
using Homeserver.Storage;

namespace Homeserver.Tests.Keys;

internal static class KeysTestData
{
    public const string Password = "keys test password";

    /// <summary>A localpart unique to the test and the database, as the servers of a fixture are shared.</summary>
    public static string Name(string prefix, DatabaseProvider provider) => prefix + provider.ToString().ToLowerInvariant();

    public static void AssertError(HttpStatusCode status, string errcode, (HttpResponseMessage Response, JsonObject? Body) answer)
    {
        Assert.Equal((status, errcode), (answer.Response.StatusCode, (string?)answer.Body?["errcode"]));
    }
}
