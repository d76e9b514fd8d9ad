using System.Text.Json.Nodes;

namespace Homeserver.Tests.Keys;

internal static class JsonObjectExtensions
{
    /// <summary>Applies a change to the object and returns it, for building test inputs inline.</summary>
    public static JsonObject Also(this JsonObject json, Action<JsonObject> change)
    {
        change(json);
        return json;
    }
}
