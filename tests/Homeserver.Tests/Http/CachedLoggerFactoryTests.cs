using Homeserver.Http;
using Serilog.Extensions.Logging;

namespace Homeserver.Tests.Http;

public sealed class CachedLoggerFactoryTests
{
    [Fact]
    public void One_logger_is_kept_per_category_of_the_factory_serilog_registers()
    {
        using var serilog = new SerilogLoggerFactory();
        var cached = new CachedLoggerFactory(serilog);

        // What the cache is for: Serilog's factory makes a new logger on every call.
        Assert.NotSame(serilog.CreateLogger("a"), serilog.CreateLogger("a"));
        Assert.Same(cached.CreateLogger("a"), cached.CreateLogger("a"));
        Assert.NotSame(cached.CreateLogger("a"), cached.CreateLogger("b"));
    }
}
