using System.Text.Json.Nodes;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Protocol.Federation;

/// <summary>
/// Server access control lists (client-server API, "Server Access Control Lists"): the content of an
/// <c>m.room.server_acl</c> event decides which servers may take part in the room. The port is ignored; an IP
/// literal is refused unless <c>allow_ip_literals</c> (default true) allows it; then <c>deny</c> wins over
/// <c>allow</c>, and a server no <c>allow</c> glob matches is refused.
/// </summary>
public static class ServerAcl
{
    public static bool Allows(JsonObject content, string serverName)
    {
        if (!ServerName.TryParse(serverName, out var name))
        {
            return false;
        }

        var host = name.Host;
        var ipLiteral = host.StartsWith('[') || (host.Count(c => c == '.') == 3 && host.All(c => char.IsAsciiDigit(c) || c == '.'));
        if (ipLiteral && content["allow_ip_literals"] is JsonValue allowIp && allowIp.TryGetValue<bool>(out var allowed) && !allowed)
        {
            return false;
        }

        if (Globs(content, "deny").Any(g => Matches(g, host)))
        {
            return false;
        }

        return Globs(content, "allow").Any(g => Matches(g, host));
    }

    private static IEnumerable<string> Globs(JsonObject content, string key) =>
        content[key] is JsonArray array
            ? array.Select(v => v is JsonValue s && s.TryGetValue<string>(out var text) ? text : null).OfType<string>()
            : [];

    /// <summary>A glob with <c>*</c> (any run of characters) and <c>?</c> (one character), compared case-insensitively.</summary>
    public static bool Matches(string glob, string host)
    {
        // Iterative matching with backtracking to the last star: linear in practice, no regular expressions to build.
        int g = 0, h = 0, star = -1, mark = 0;
        while (h < host.Length)
        {
            if (g < glob.Length && (glob[g] == '?' || char.ToLowerInvariant(glob[g]) == char.ToLowerInvariant(host[h])))
            {
                g++;
                h++;
            }
            else if (g < glob.Length && glob[g] == '*')
            {
                star = g++;
                mark = h;
            }
            else if (star >= 0)
            {
                g = star + 1;
                h = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (g < glob.Length && glob[g] == '*')
        {
            g++;
        }

        return g == glob.Length;
    }
}
