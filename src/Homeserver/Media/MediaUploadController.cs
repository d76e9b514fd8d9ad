using Homeserver.Client;
using Homeserver.Core.Media;
using Homeserver.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Media;

/// <summary>
/// <c>POST /_matrix/media/v3/upload</c>, <c>POST /_matrix/media/v1/create</c> and
/// <c>PUT /_matrix/media/v3/upload/{serverName}/{mediaId}</c> (client-server API, "Content repository").
/// The body is the raw content, streamed to disk; it is not bound by MVC.
/// </summary>
[Authorize]
public sealed class MediaUploadController(MediaService media) : ClientApiController
{
    [HttpPost("_matrix/media/v3/upload")]
    public async Task<ContentUriResponse> UploadAsync([FromQuery(Name = "filename")] string? fileName, CancellationToken cancellationToken)
    {
        AllowBodyOfUploadSize();
        var uri = await media.UploadAsync(HttpContext.GetSession(), Request.Body, Request.ContentType, fileName, Request.ContentLength, cancellationToken);
        return new ContentUriResponse(uri);
    }

    [HttpPost("_matrix/media/v1/create")]
    public async Task<CreateContentResponse> CreateAsync(CancellationToken cancellationToken)
    {
        var created = await media.CreateAsync(HttpContext.GetSession(), cancellationToken);
        return new CreateContentResponse(created.ContentUri, created.UnusedExpiresAt);
    }

    [HttpPut("_matrix/media/v3/upload/{serverName}/{mediaId}")]
    public async Task<EmptyResponse> UploadToAsync(string serverName, string mediaId, [FromQuery(Name = "filename")] string? fileName,
        CancellationToken cancellationToken)
    {
        AllowBodyOfUploadSize();
        await media.UploadToAsync(HttpContext.GetSession(), serverName, mediaId, Request.Body, Request.ContentType, fileName, Request.ContentLength,
            cancellationToken);
        return EmptyResponse.Instance;
    }

    // Kestrel's server-wide body limit is sized for JSON; uploads have their own, larger one.
    private void AllowBodyOfUploadSize()
    {
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = media.MaxUploadBytes;
        }
    }
}
