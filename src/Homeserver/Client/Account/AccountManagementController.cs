using Homeserver.Core.Accounts;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.Account;

/// <summary>
/// <c>POST /_matrix/client/v3/account/password</c> and <c>POST /_matrix/client/v3/account/deactivate</c>
/// (client-server API, "Account management"). Both confirm the password through user-interactive auth.
/// </summary>
[Authorize]
public sealed class AccountManagementController(AccountManagementService accounts) : ClientApiController
{
    [HttpPost("_matrix/client/v3/account/password")]
    public async Task<EmptyResponse> ChangePasswordAsync([FromBody] ChangePasswordRequest request, CancellationToken cancellationToken)
    {
        await accounts.ChangePasswordAsync(HttpContext.GetSession(), request.NewPassword, request.LogoutDevices ?? true, request.Auth, cancellationToken);
        return EmptyResponse.Instance;
    }

    [HttpPost("_matrix/client/v3/account/deactivate")]
    public async Task<DeactivateResponse> DeactivateAsync([FromBody] DeactivateRequest? request, CancellationToken cancellationToken)
    {
        await accounts.DeactivateAsync(HttpContext.GetSession(), request?.Auth, cancellationToken);
        // No identity server bindings are kept, so there is nothing to unbind.
        return new DeactivateResponse("no-support");
    }
}
