using System.Collections.Concurrent;

namespace Homeserver.Http;

/// <summary>
/// The server's logger factory with one logger kept per category. The factory <c>AddSerilog</c> registers builds a
/// new logger (and its caches) on every call, and an authentication handler, created for each request, asks for
/// its logger every time: a few allocations on every request otherwise.
/// </summary>
internal sealed class CachedLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, static (name, factory) => factory.CreateLogger(name), inner);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The container disposes the factory this one wraps.
    public void Dispose()
    {
    }
}
