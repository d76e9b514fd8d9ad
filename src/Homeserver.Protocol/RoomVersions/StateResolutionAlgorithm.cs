namespace Homeserver.Protocol.RoomVersions;

public enum StateResolutionAlgorithm
{
    V1,
    V2,

    /// <summary>"v2.1", room version 12: v2 with the conflicted state subgraph and resolution starting from empty state.</summary>
    V21,
}
