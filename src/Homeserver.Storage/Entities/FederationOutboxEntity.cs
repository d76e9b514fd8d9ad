namespace Homeserver.Storage.Entities;

/// <summary>A PDU or EDU queued for a remote server, written in the same transaction as the event it carries.</summary>
public sealed class FederationOutboxEntity
{
    public long Position { get; set; }

    public required string Destination { get; set; }

    /// <summary>The PDU to send; null for an EDU.</summary>
    public long? EventNid { get; set; }

    /// <summary>The EDU JSON; null for a PDU.</summary>
    public string? EduJson { get; set; }
}
