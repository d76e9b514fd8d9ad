namespace Homeserver.Storage.Entities;

/// <summary>One field of a local user's profile (<c>displayname</c>, <c>avatar_url</c>, <c>m.tz</c>, custom keys), as JSON.</summary>
public sealed class ProfileFieldEntity
{
    public required string UserId { get; set; }

    public required string Key { get; set; }

    public required string ValueJson { get; set; }
}
