using System.Collections.Concurrent;
using System.Reflection;

namespace Homeserver.Tests.Infrastructure;

/// <summary>Puts a real service behind a proxy that counts the calls of each method, to show which reads a path makes.</summary>
public static class CallCounter
{
    public static (T Proxy, ConcurrentDictionary<string, int> Calls) Wrap<T>(T inner)
        where T : class
    {
        var proxy = DispatchProxy.Create<T, CountingProxy<T>>();
        var counting = (CountingProxy<T>)(object)proxy;
        counting.Attach(inner);
        return (proxy, counting.Calls);
    }
}
