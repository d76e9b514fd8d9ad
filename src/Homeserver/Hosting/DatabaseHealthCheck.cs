using Homeserver.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Homeserver.Hosting;

/// <summary>Healthy while the database answers.</summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<HomeserverDbContext>().Database;
        return await database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database does not answer");
    }
}
