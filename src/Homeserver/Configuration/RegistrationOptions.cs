namespace Homeserver.Configuration;

public sealed class RegistrationOptions
{
    /// <summary>Open registration through <c>/register</c>. Off by default: administrators create users.</summary>
    public bool Enabled { get; set; }

    /// <summary>Registration needs a token from an administrator (<c>homeserver create-registration-token</c>).</summary>
    public bool RequireToken { get; set; }
}
