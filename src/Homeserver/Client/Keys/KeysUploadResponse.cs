namespace Homeserver.Client.Keys;

public sealed record KeysUploadResponse(IReadOnlyDictionary<string, int> OneTimeKeyCounts);
