namespace Homeserver.Storage.Entities;

/// <summary>A stored /sync filter.</summary>
public sealed class FilterEntity
{
    public required string UserId { get; set; }

    public long FilterId { get; set; }

    public required string Json { get; set; }
}
