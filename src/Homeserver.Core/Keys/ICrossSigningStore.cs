namespace Homeserver.Core.Keys;

/// <summary>The port for cross-signing keys and the signatures uploaded on keys.</summary>
public interface ICrossSigningStore
{
    Task<IReadOnlyList<CrossSigningKey>> GetKeysAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>Replaces the user's keys of the given types in one transaction and records a device-list change.</summary>
    Task StoreKeysAsync(string userId, IReadOnlyList<CrossSigningKey> keys, CancellationToken cancellationToken);

    /// <summary>Every signature on keys of the given users.</summary>
    Task<IReadOnlyList<KeySignature>> GetSignaturesAsync(IReadOnlyCollection<string> targetUserIds, CancellationToken cancellationToken);

    /// <summary>Stores the signatures (a repeated one replaces the earlier) and records a device-list change of the uploader.</summary>
    Task StoreSignaturesAsync(string uploaderUserId, IReadOnlyList<KeySignature> signatures, CancellationToken cancellationToken);
}
