using System.Text.Json.Nodes;
using Homeserver.Core.Errors;

namespace Homeserver.Client.ToDevice;

/// <summary>The body of <c>PUT /sendToDevice/{eventType}/{txnId}</c>: user ID → device ID (or <c>*</c>) → content.</summary>
public sealed record SendToDeviceRequest(Dictionary<string, Dictionary<string, JsonObject?>?> Messages)
{
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>> ByUser() =>
        Messages.ToDictionary(
            u => u.Key,
            u => (IReadOnlyDictionary<string, JsonObject>)(u.Value ?? throw MatrixException.BadJson($"messages.{u.Key} must be an object"))
                .ToDictionary(d => d.Key, d => d.Value ?? throw MatrixException.BadJson("A message's content must be an object"), StringComparer.Ordinal),
            StringComparer.Ordinal);
}
