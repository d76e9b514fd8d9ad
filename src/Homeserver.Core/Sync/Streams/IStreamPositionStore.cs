namespace Homeserver.Core.Sync.Streams;

/// <summary>Reads the highest committed position of every stream, to start <see cref="StreamPositions"/> from.</summary>
public interface IStreamPositionStore
{
    Task<IReadOnlyDictionary<StreamName, long>> LoadAsync(CancellationToken cancellationToken);
}
