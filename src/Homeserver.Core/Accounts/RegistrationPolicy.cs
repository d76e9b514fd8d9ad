namespace Homeserver.Core.Accounts;

/// <summary>
/// Whether anyone may register (<c>Homeserver:Registration:Enabled</c>), and whether they need a registration token
/// from an administrator (<c>Homeserver:Registration:RequireToken</c>).
/// </summary>
public sealed record RegistrationPolicy(bool Enabled, bool RequireToken = false);
