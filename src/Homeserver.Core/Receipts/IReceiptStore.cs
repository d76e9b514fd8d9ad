namespace Homeserver.Core.Receipts;

/// <summary>The port for read receipts: the latest per (room, user, type, thread), each write a new receipts-stream position.</summary>
public interface IReceiptStore
{
    Task SetAsync(Receipt receipt, CancellationToken cancellationToken);

    /// <summary>Receipts in the rooms written after <paramref name="since"/> up to <paramref name="upTo"/>.</summary>
    Task<IReadOnlyList<Receipt>> GetChangesAsync(IReadOnlyCollection<string> roomIds, long since, long upTo, CancellationToken cancellationToken);
}
