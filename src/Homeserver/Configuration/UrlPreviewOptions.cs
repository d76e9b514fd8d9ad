namespace Homeserver.Configuration;

/// <summary>The <c>Homeserver:Media:UrlPreview</c> section.</summary>
public sealed class UrlPreviewOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.1.0.0/16</c>) previews may reach although they are loopback, private or
    /// link-local. Empty by default: previews reach only public addresses.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    public long MaxPageBytes { get; set; } = 1024 * 1024;

    public long MaxImageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The time limit of one fetch, connection and body included.</summary>
    public int TimeoutSeconds { get; set; } = 10;
}
