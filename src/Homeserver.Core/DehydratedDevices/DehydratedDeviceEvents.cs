using System.Text.Json.Nodes;

namespace Homeserver.Core.DehydratedDevices;

/// <summary>A batch of the dehydrated device's to-device messages, and the token that asks for the next one.</summary>
public sealed record DehydratedDeviceEvents(IReadOnlyList<JsonObject> Events, string NextBatch);
