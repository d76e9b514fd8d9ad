namespace Homeserver.Core.Sync.Streams;

/// <summary>The streams a <c>/sync</c> token holds a position in (DESIGN.md §3), in token order.</summary>
public enum StreamName
{
    Events,
    AccountData,
    Receipts,
    ToDevice,
    DeviceLists,
    Presence,
    Typing,
}
