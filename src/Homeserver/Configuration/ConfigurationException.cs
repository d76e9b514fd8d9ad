namespace Homeserver.Configuration;

/// <summary>A setting that stops start-up; its message is the one line the operator sees, naming the key.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
