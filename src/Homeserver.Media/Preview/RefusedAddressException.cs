using System.Net;

namespace Homeserver.Media.Preview;

/// <summary>Raised inside the connection callback to stop a connection to an address the filter refuses.</summary>
public sealed class RefusedAddressException : Exception
{
    public RefusedAddressException(IPAddress address)
        : base($"Connections to {address} are not allowed")
    {
        Address = address;
    }

    public RefusedAddressException()
        : base("Connection refused by the address filter")
    {
    }

    public RefusedAddressException(string message)
        : base(message)
    {
    }

    public RefusedAddressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IPAddress? Address { get; }
}
