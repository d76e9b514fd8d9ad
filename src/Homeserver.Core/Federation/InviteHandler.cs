using System.Text.Json.Nodes;
using Homeserver.Core.Accounts;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Core.Server;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Events;
using Homeserver.Protocol.RoomVersions;
using Homeserver.Protocol.Signing;

namespace Homeserver.Core.Federation;

/// <summary>
/// The invited server's side of "Inviting to a room" (server-server API, <c>invite</c> v2): the invite of a local
/// user, made and signed by the inviting server, is checked, countersigned and answered; the invite, with the
/// stripped state sent along, becomes the user's membership so that it shows in /sync.
/// </summary>
public sealed class InviteHandler(PduVerifier verifier, RoomEventWriter writer, IAccountStore accounts, ServerIdentity server, SigningKey key)
{
    /// <exception cref="MatrixException">Malformed (400), an unsupported room version (400), not an invite this server should sign (403).</exception>
    public async Task<JsonObject> ReceiveAsync(string origin, string roomId, string eventId, JsonObject body, CancellationToken cancellationToken)
    {
        if (body["room_version"] is not JsonValue version || !version.TryGetValue<string>(out var versionId))
        {
            throw MatrixException.BadJson("room_version is required");
        }

        if (!RoomVersions.TryGet(versionId, out var rules))
        {
            throw new MatrixException(ErrorCode.IncompatibleRoomVersion, 400, "This server does not support the room's version")
            {
                Details = new Dictionary<string, string> { ["room_version"] = versionId },
            };
        }

        if (body["event"] is not JsonObject json)
        {
            throw MatrixException.BadJson("event is required");
        }

        var received = (await verifier.VerifyAsync([json], rules, cancellationToken))[0];
        if (received.Pdu is not { } invite)
        {
            throw MatrixException.Forbidden($"The invite is invalid: {received.Error}");
        }

        if (invite.EventId != eventId || invite.RoomId != roomId || invite.Type != EventTypes.Member || invite.StateKey is not { } target
            || invite.Content["membership"] is not JsonValue m || !m.TryGetValue<string>(out var membership) || membership != Memberships.Invite)
        {
            throw MatrixException.BadJson("Not an invite to this room under this event ID");
        }

        if (LiveRoom.ServerOf(invite.Sender) != origin)
        {
            throw MatrixException.Forbidden("A server may only send invites from its own users");
        }

        if (LiveRoom.ServerOf(target) != server.ServerName || await accounts.GetUserAsync(target, cancellationToken) is not { IsDeactivated: false })
        {
            throw MatrixException.Forbidden("The invited user is not a user of this server");
        }

        var signed = json.DeepClone().AsObject();
        signed.Remove("unsigned");
        EventSigner.Countersign(signed, rules, server.ServerName, key);
        var strippedState = body["invite_room_state"] as JsonArray;
        await writer.RecordOutlierAsync(
            new OutlierMembership(roomId, rules, Pdu.FromJson(signed, eventId, rules), strippedState?.DeepClone().AsArray()), cancellationToken);
        return new JsonObject { ["event"] = signed };
    }
}
