using System.Text.Json.Nodes;

namespace Homeserver.Core.Keys;

/// <summary>
/// Another server's users' keys for <c>/keys/query</c>: <paramref name="Known"/> from this server's copies,
/// <paramref name="Asked"/> the server's own answer for the others (null when it was not asked or not reached).
/// </summary>
public sealed record RemoteKeysAnswer(IReadOnlyList<RemoteDeviceList> Known, JsonObject? Asked, bool Unreachable);
