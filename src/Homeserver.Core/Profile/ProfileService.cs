using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Federation;
using Homeserver.Core.Server;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Profile;

/// <summary>
/// Profiles (client-server API, "Profiles"): <c>displayname</c>, <c>avatar_url</c>, <c>m.tz</c> and namespaced
/// custom fields, at most 64 KiB in all.
/// </summary>
public sealed partial class ProfileService(IProfileStore profiles, ServerIdentity server, MemberProfileUpdater members, IFederationClient federation)
{
    public const int MaxProfileBytes = 64 * 1024;
    private const int MaxKeyBytes = 255;

    public static ErrorCode ProfileTooLarge { get; } = new("M_PROFILE_TOO_LARGE");

    public static ErrorCode KeyTooLarge { get; } = new("M_KEY_TOO_LARGE");

    /// <exception cref="MatrixException">404 when the user has no profile here.</exception>
    public async Task<JsonObject> GetAsync(string userId, CancellationToken cancellationToken)
    {
        if (!UserId.TryParse(userId, out var id))
        {
            throw MatrixException.InvalidParam($"'{userId}' is not a user ID");
        }

        if (id.Server.Value != server.ServerName)
        {
            return await RemoteProfileAsync(userId, id.Server.Value, cancellationToken);
        }

        return await profiles.GetProfileAsync(userId, cancellationToken) ?? throw MatrixException.NotFound("Profile not found");
    }

    /// <summary>The profile of another server's user, asked of that server (<c>query/profile</c>); not cached.</summary>
    private async Task<JsonObject> RemoteProfileAsync(string userId, string userServer, CancellationToken cancellationToken)
    {
        try
        {
            return await federation.SendAsync(HttpMethod.Get, userServer,
                       "/_matrix/federation/v1/query/profile?user_id=" + Uri.EscapeDataString(userId), null, cancellationToken) as JsonObject
                   ?? throw MatrixException.NotFound("Profile not found");
        }
        catch (FederationException e) when (e.StatusCode is 404 or 403)
        {
            throw MatrixException.NotFound("Profile not found");
        }
        catch (FederationException e)
        {
            throw new MatrixException(ErrorCode.Unknown, 502, $"{userServer} could not be asked for the profile: {e.Message}");
        }
    }

    public async Task<JsonObject> GetFieldAsync(string userId, string key, CancellationToken cancellationToken)
    {
        var profile = await GetAsync(userId, cancellationToken);
        return profile.TryGetPropertyValue(key, out var value)
            ? new JsonObject { [key] = value?.DeepClone() }
            : throw MatrixException.NotFound($"The profile has no {key}");
    }

    public async Task SetFieldAsync(Session session, string userId, string key, JsonObject body, CancellationToken cancellationToken)
    {
        CheckOwnProfile(session, userId);
        CheckKey(key);
        if (!body.TryGetPropertyValue(key, out var value))
        {
            throw MatrixException.MissingParam($"The body must hold the field {key}");
        }

        if (body.Count != 1)
        {
            throw MatrixException.BadJson("The body must hold exactly one field");
        }

        // The spec's own fields hold strings (or null, which is stored as such); custom fields hold any JSON.
        if (key is "displayname" or "avatar_url" or "m.tz" && value is not null && !(value is JsonValue v && v.TryGetValue<string>(out _)))
        {
            throw MatrixException.BadJson($"{key} must be a string");
        }

        if (key == "avatar_url" && value is JsonValue url && url.TryGetValue<string>(out var mxc) && !mxc.StartsWith("mxc://", StringComparison.Ordinal))
        {
            throw MatrixException.InvalidParam("avatar_url must be an mxc:// URI");
        }

        var profile = await GetAsync(userId, cancellationToken);
        profile[key] = value?.DeepClone();
        if (Encoding.UTF8.GetByteCount(profile.ToJsonString()) > MaxProfileBytes)
        {
            throw new MatrixException(ProfileTooLarge, 400, "The profile would be larger than 64 KiB");
        }

        await profiles.SetFieldAsync(userId, key, value, cancellationToken);
        if (MemberProfileUpdater.IsMemberField(key))
        {
            await members.UpdateAsync(userId, key, (string?)value, cancellationToken);
        }
    }

    public async Task DeleteFieldAsync(Session session, string userId, string key, CancellationToken cancellationToken)
    {
        CheckOwnProfile(session, userId);
        CheckKey(key);
        await profiles.DeleteFieldAsync(userId, key, cancellationToken);
        if (MemberProfileUpdater.IsMemberField(key))
        {
            await members.UpdateAsync(userId, key, null, cancellationToken);
        }
    }

    private static void CheckOwnProfile(Session session, string userId)
    {
        if (session.UserId != userId)
        {
            throw MatrixException.Forbidden("You can only change your own profile");
        }
    }

    private static void CheckKey(string key)
    {
        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw new MatrixException(KeyTooLarge, 400, "Profile keys are at most 255 bytes");
        }

        if (!KeyGrammar().IsMatch(key))
        {
            throw MatrixException.InvalidParam($"'{key}' is not displayname, avatar_url, m.tz or a namespaced key");
        }
    }

    [GeneratedRegex(@"^(avatar_url|displayname|m\.tz|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyGrammar();
}
