namespace Homeserver.Storage.Entities;

/// <summary>The latest presence of a user, with its position in the presence stream.</summary>
public sealed class PresenceEntity
{
    public long StreamPosition { get; set; }

    public required string UserId { get; set; }

    public required string Presence { get; set; }

    public string? StatusMessage { get; set; }

    public long LastActiveTs { get; set; }
}
