using System.Reflection;
using Homeserver.Storage;
using Xunit.Sdk;

namespace Homeserver.Tests.Infrastructure;

/// <summary>Runs a theory once per database provider, so every behaviour is tested on PostgreSQL and on SQLite.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OnEveryDatabaseAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        Enum.GetValues<DatabaseProvider>().Select(provider => new object[] { provider });
}
