namespace Homeserver.Core.Keys;

/// <summary>What became of a <see cref="RemoteDeviceUpdate"/> in the copy of the user's device list.</summary>
public enum RemoteDeviceUpdateOutcome
{
    /// <summary>No copy is kept of the user's devices.</summary>
    NotKept,

    /// <summary>The copy already holds this update (a repeated or late EDU).</summary>
    AlreadySeen,

    /// <summary>The update followed on from the copy and is now part of it.</summary>
    Applied,

    /// <summary>An update between the copy and this one is missing: the copy is stale until fetched again.</summary>
    Gap,
}
