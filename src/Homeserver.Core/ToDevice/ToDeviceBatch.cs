using System.Text.Json.Nodes;

namespace Homeserver.Core.ToDevice;

/// <summary>
/// To-device messages for <c>/sync</c> (<c>{sender, type, content}</c> each) and the position reached: the next
/// sync reads on from it, and deletes the messages up to it once the client presents a token at or past it.
/// </summary>
public sealed record ToDeviceBatch(IReadOnlyList<JsonObject> Events, long Position);
