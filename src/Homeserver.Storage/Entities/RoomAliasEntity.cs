namespace Homeserver.Storage.Entities;

/// <summary>A local room alias (<c>#name:our.server</c>) and the room it points to.</summary>
public sealed class RoomAliasEntity
{
    public required string Alias { get; set; }

    public required string RoomId { get; set; }

    /// <summary>The user who created the alias, who may delete it without the room's power to do so.</summary>
    public required string Creator { get; set; }
}
