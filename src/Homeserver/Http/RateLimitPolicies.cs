using System.Threading.RateLimiting;
using Homeserver.Configuration;
using Homeserver.Protocol.Errors;
using Microsoft.AspNetCore.RateLimiting;

namespace Homeserver.Http;

/// <summary>
/// The named rate limits that endpoints opt into with <c>[EnableRateLimiting(RateLimitPolicies.X)]</c>; a request over
/// its limit gets 429 <c>M_LIMIT_EXCEEDED</c> with the time to wait.
/// </summary>
internal static class RateLimitPolicies
{
    public const string Login = "login";
    public const string Registration = "registration";

    public static IServiceCollection AddMatrixRateLimits(this IServiceCollection services, RateLimitsOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            AddPerAddress(limiter, Login, options.Login, options.Enabled);
            AddPerAddress(limiter, Registration, options.Registration, options.Enabled);
            limiter.OnRejected = (context, _) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                return new ValueTask(ErrorResponseWriter.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    ErrorCode.LimitExceeded, "Too many requests", wait));
            };
        });

    private static void AddPerAddress(RateLimiterOptions limiter, string name, RateLimitOptions limit, bool enabled) =>
        limiter.AddPolicy(name, context => enabled
            ? RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1 / limit.PerSecond),
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter("off"));
}
