using Homeserver.Core.Authentication;

namespace Homeserver.Http;

internal static class SessionExtensions
{
    /// <summary>The session of an <c>[Authorize]</c> endpoint's request, set by the access-token handler.</summary>
    public static Session GetSession(this HttpContext context) => context.Features.Get<Session>() ?? throw new InvalidOperationException("The endpoint is not marked [Authorize]");
}
