using Homeserver.Core.UserDirectory;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Client.UserDirectory;

/// <summary><c>POST /_matrix/client/v3/user_directory/search</c> (client-server API, "User directory").</summary>
[Authorize]
public sealed class UserDirectoryController(UserDirectoryService directory) : ClientApiController
{
    [HttpPost("_matrix/client/v3/user_directory/search")]
    public async Task<UserDirectoryResponse> SearchAsync([FromBody] UserDirectoryRequest request, CancellationToken cancellationToken)
    {
        var (results, limited) = await directory.SearchAsync(request.SearchTerm, request.Limit, cancellationToken);
        return new UserDirectoryResponse([.. results.Select(u => new UserDirectoryResult(u.UserId, u.DisplayName, u.AvatarUrl))], limited);
    }
}
