using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;

namespace Homeserver.Protocol.Authorization;

/// <summary>Small readers of event content shared by the auth rules.</summary>
internal static class AuthEventsContent
{
    public static string? String(JsonObject content, string key) =>
        content[key] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    /// <summary>A user's membership from their member event; <c>leave</c> when there is none.</summary>
    public static string Membership(Pdu? member) =>
        member is null ? Memberships.Leave : String(member.Content, "membership") ?? Memberships.Leave;

    /// <summary>The server part of a user or event ID (after the first colon).</summary>
    public static string Domain(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? string.Empty : id[(colon + 1)..];
    }
}
