using System.Collections.Concurrent;
using System.Reflection;

namespace Homeserver.Tests.Infrastructure;

/// <summary>The proxy behind <see cref="CallCounter.Wrap"/>: passes every call to the real service and counts it by method.</summary>
public class CountingProxy<T> : DispatchProxy
    where T : class
{
    private T _inner = null!;

    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    internal void Attach(T inner) => _inner = inner;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Calls.AddOrUpdate(targetMethod!.Name, 1, (_, count) => count + 1);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
