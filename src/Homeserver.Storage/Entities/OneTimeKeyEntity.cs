namespace Homeserver.Storage.Entities;

/// <summary>An unclaimed one-time key of a device. <see cref="Id"/> grows with each upload: keys are claimed oldest first.</summary>
public sealed class OneTimeKeyEntity
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string DeviceId { get; set; }

    public required string Algorithm { get; set; }

    public required string KeyId { get; set; }

    public required string KeyJson { get; set; }
}
