namespace Homeserver.Configuration;

public sealed class LimitsOptions
{
    /// <summary>
    /// The largest request body accepted, in bytes. The default leaves room for a federation transaction of 50
    /// PDUs of 64 KiB each plus EDUs.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;
}
