namespace Homeserver.Core.Authentication;

/// <summary>The hashes of the tokens a refresh issues, and when the new access token expires.</summary>
public sealed record RefreshedTokens(string TokenHash, string RefreshTokenHash, long CreatedTs, long ExpiresTs);
