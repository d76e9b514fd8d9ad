using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Homeserver.Core.Errors;
using Homeserver.Protocol.Errors;

namespace Homeserver.Core.Authentication;

/// <summary>
/// User-interactive authentication sessions. Sessions live in memory for 30 minutes: a client that loses one starts
/// again. (Several processes behind one load balancer would need sticky sessions or a table; see the closing notes.)
/// </summary>
public sealed class UserInteractiveAuth(TimeProvider clock)
{
    public const string Dummy = "m.login.dummy";
    public const string Password = "m.login.password";
    public const string RegistrationToken = "m.login.registration_token";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>
    /// Records the stage the client sent in <paramref name="auth"/> and returns when one of <paramref name="flows"/>
    /// is complete; otherwise throws <see cref="UiaRequiredException"/>, which tells the client what is left.
    /// </summary>
    /// <param name="checkStage">
    /// Checks a stage other than <c>m.login.dummy</c> (the stage type, and the client's auth object); required when a
    /// flow offers such a stage.
    /// </param>
    public async Task RequireAsync(JsonObject? auth, IReadOnlyList<IReadOnlyList<string>> flows, Func<string, JsonObject, Task<bool>>? checkStage = null)
    {
        var now = clock.GetUtcNow();
        if (auth is null || auth["session"] is not JsonValue sessionValue || !sessionValue.TryGetValue<string>(out var sessionId))
        {
            var created = Start(now);
            if (auth?["type"] is null)
            {
                throw new UiaRequiredException(created.Id, flows, []);
            }

            sessionId = created.Id;
        }

        if (!_sessions.TryGetValue(sessionId, out var session) || session.Expires < now)
        {
            throw MatrixException.InvalidParam("Unknown or expired authentication session");
        }

        var type = auth["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
        if (type is not null)
        {
            if (!flows.Any(f => f.Contains(type, StringComparer.Ordinal)))
            {
                throw new UiaRequiredException(session.Id, flows, session.Completed, ErrorCode.Unrecognized, $"Authentication type '{type}' is not offered here");
            }

            // m.login.dummy succeeds by being sent; every other stage by its check.
            if (type != Dummy && (checkStage is null || !await checkStage(type, auth)))
            {
                throw new UiaRequiredException(session.Id, flows, session.Completed, ErrorCode.Forbidden, $"The {type} stage failed");
            }

            lock (session.Completed)
            {
                if (!session.Completed.Contains(type))
                {
                    session.Completed.Add(type);
                }
            }
        }

        if (flows.Any(flow => flow.All(session.Completed.Contains)))
        {
            _sessions.TryRemove(session.Id, out _);
            return;
        }

        throw new UiaRequiredException(session.Id, flows, session.Completed);
    }

    private Session Start(DateTimeOffset now)
    {
        foreach (var expired in _sessions.Where(s => s.Value.Expires < now).Select(s => s.Key).ToList())
        {
            _sessions.TryRemove(expired, out _);
        }

        var session = new Session(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), now + Lifetime);
        _sessions[session.Id] = session;
        return session;
    }

    private sealed record Session(string Id, DateTimeOffset Expires)
    {
        public List<string> Completed { get; } = [];
    }
}
