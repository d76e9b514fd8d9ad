namespace Homeserver.Core.Accounts;

/// <summary>Whether anyone may register (<c>Homeserver:Registration:Enabled</c>).</summary>
public sealed record RegistrationPolicy(bool Enabled);
