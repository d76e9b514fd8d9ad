using System.Text.Json.Nodes;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.Redaction;
using Homeserver.Protocol.RoomVersions;

namespace Homeserver.Protocol.Signing;

/// <summary>
/// Step 2 of the checks on a received PDU (server-server API, "Validating hashes and signatures"): every server
/// that must have signed the event has, with a key it held at the time.
/// </summary>
public static class EventSignatureVerifier
{
    /// <summary>
    /// The sender's server; in room versions 1–2 also the server of the event ID; for a restricted join, the
    /// server of the user who authorised it.
    /// </summary>
    public static IReadOnlySet<string> RequiredSigners(Pdu pdu, RoomVersionRules rules)
    {
        var servers = new HashSet<string>(StringComparer.Ordinal) { ServerOf(pdu.Sender) };
        if (rules.EventFormat == EventFormat.V1)
        {
            servers.Add(ServerOf(pdu.EventId));
        }

        if (rules.Authorization.RestrictedJoinRule && pdu.Type == EventTypes.Member
            && pdu.Content["membership"] is JsonValue membership && membership.TryGetValue<string>(out var m) && m == "join"
            && pdu.Content["join_authorised_via_users_server"] is JsonValue authoriser && authoriser.TryGetValue<string>(out var user))
        {
            servers.Add(ServerOf(user));
        }

        return servers;
    }

    /// <param name="keys">Looks up a server's key by ID; null when it is not known.</param>
    public static SignatureCheckResult Verify(Pdu pdu, RoomVersionRules rules, Func<string, string, VerifyKey?> keys)
    {
        // Signatures cover the redacted event, so that they can be checked on a redacted copy too.
        var redacted = Redactor.Redact(pdu.Json, rules.Redaction);
        foreach (var server in RequiredSigners(pdu, rules))
        {
            if (!HasValidSignature(redacted, server, pdu.OriginServerTs, rules.EnforceKeyValidity, keys))
            {
                return SignatureCheckResult.Invalid($"no valid signature from {server}");
            }
        }

        return SignatureCheckResult.Valid;
    }

    private static bool HasValidSignature(JsonObject redacted, string server, long originServerTs, bool enforceValidity, Func<string, string, VerifyKey?> keys)
    {
        if (redacted["signatures"]?[server] is not JsonObject signatures)
        {
            return false;
        }

        foreach (var (keyId, _) in signatures)
        {
            if (!keyId.StartsWith("ed25519:", StringComparison.Ordinal) || keys(server, keyId) is not { } key)
            {
                continue;
            }

            // Room version 5 onwards: a key counts only for events from before its valid_until_ts.
            if (enforceValidity && key.ValidUntilTs < originServerTs)
            {
                continue;
            }

            if (JsonSigning.Verify(redacted, server, keyId, key.PublicKey))
            {
                return true;
            }
        }

        return false;
    }

    private static string ServerOf(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? string.Empty : id[(colon + 1)..];
    }
}
