namespace Homeserver.Configuration;

public sealed class RegistrationOptions
{
    /// <summary>Open registration with <c>m.login.dummy</c>. Off by default: administrators create users.</summary>
    public bool Enabled { get; set; }
}
