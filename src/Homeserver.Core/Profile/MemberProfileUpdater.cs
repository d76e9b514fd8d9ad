using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Core.Rooms;
using Homeserver.Core.Rooms.Engine;
using Homeserver.Protocol.Authorization;
using Homeserver.Protocol.Events;
using Microsoft.Extensions.Logging;

namespace Homeserver.Core.Profile;

/// <summary>
/// Copies a changed display name or avatar into the user's member event in every room they are joined to
/// (client-server API, "Events on Change of Profile Information").
/// </summary>
public sealed partial class MemberProfileUpdater(RoomEventWriter writer, IRoomReadStore rooms, ILogger<MemberProfileUpdater> logger)
{
    public static bool IsMemberField(string key) => key is "displayname" or "avatar_url";

    /// <param name="value">The new value; null removes the field from the member events.</param>
    public async Task UpdateAsync(string userId, string key, string? value, CancellationToken cancellationToken)
    {
        var joined = (await rooms.GetMembershipsAsync(userId, cancellationToken)).Where(m => m.Membership == Memberships.Join).ToList();
        var sends = new List<Task>(joined.Count);
        foreach (var membership in joined)
        {
            if (await rooms.GetCurrentStateEventAsync(membership.RoomNid, EventTypes.Member, userId, cancellationToken) is not { } current)
            {
                continue;
            }

            var content = JsonNode.Parse(current.Json)!["content"]!.AsObject();
            if (content[key]?.GetValueKind() == System.Text.Json.JsonValueKind.String && (string?)content[key] == value)
            {
                continue;
            }

            if (value is null)
            {
                content.Remove(key);
            }
            else
            {
                content[key] = value;
            }

            // Queued together, so that the engine commits the whole fan-out in few transactions.
            sends.Add(SendAsync(new EventDraft(membership.RoomId, EventTypes.Member, userId, userId, (JsonObject)content.DeepClone()), cancellationToken));
        }

        await Task.WhenAll(sends);
    }

    private async Task SendAsync(EventDraft draft, CancellationToken cancellationToken)
    {
        try
        {
            await writer.SendAsync(draft, cancellationToken);
        }
        catch (MatrixException e)
        {
            // A room whose rules refuse the change keeps the old name; the profile itself has changed.
            LogRefused(draft.RoomId!, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomId} refused a profile update: {Reason}")]
    private partial void LogRefused(string roomId, string reason);
}
