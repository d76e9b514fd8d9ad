using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Homeserver.Core.Authentication;
using Homeserver.Core.Errors;
using Homeserver.Core.Server;
using Homeserver.Protocol.Errors;
using Homeserver.Protocol.Identifiers;

namespace Homeserver.Core.Profile;

/// <summary>
/// Profiles (client-server API, "Profiles"): <c>displayname</c>, <c>avatar_url</c>, <c>m.tz</c> and namespaced
/// custom fields, at most 64 KiB in all.
/// </summary>
public sealed partial class ProfileService(IProfileStore profiles, ServerIdentity server, MemberProfileUpdater members)
{
    public const int MaxProfileBytes = 64 * 1024;
    private const int MaxKeyBytes = 255;

    public static ErrorCode ProfileTooLarge { get; } = new("M_PROFILE_TOO_LARGE");

    public static ErrorCode KeyTooLarge { get; } = new("M_KEY_TOO_LARGE");

    /// <exception cref="MatrixException">404 when the user has no profile here.</exception>
    public async Task<JsonObject> GetAsync(string userId, CancellationToken cancellationToken) =>
        await profiles.GetProfileAsync(CheckUserId(userId), cancellationToken) ?? throw MatrixException.NotFound("Profile not found");

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

    private string CheckUserId(string userId)
    {
        if (!UserId.TryParse(userId, out var id))
        {
            throw MatrixException.InvalidParam($"'{userId}' is not a user ID");
        }

        // Profiles of other servers' users come over federation, which is not served yet.
        return id.Server.Value == server.ServerName ? userId : throw MatrixException.NotFound("Profile not found");
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
