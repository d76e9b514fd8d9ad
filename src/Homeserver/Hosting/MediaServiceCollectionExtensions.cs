using System.Net;
using Homeserver.Configuration;
using Homeserver.Core.Media;
using Homeserver.Core.Media.Preview;
using Homeserver.Core.Server;
using Homeserver.Federation.Media;
using Homeserver.Media.Preview;
using Homeserver.Media.Thumbnails;
using Homeserver.Storage;

namespace Homeserver.Hosting;

internal static class MediaServiceCollectionExtensions
{
    /// <summary>The content repository: its use cases, the file store under the data directory, thumbnails, remote media over federation and URL previews.</summary>
    public static IServiceCollection AddMediaRepository(this IServiceCollection services, HomeserverOptions options)
    {
        var media = options.Media;
        services.AddSingleton(new MediaPolicy(
            media.MaxUploadBytes, media.MaxThumbnailSourcePixels, media.MaxPendingUploadsPerUser, media.FreezeUnauthenticatedMediaAt?.ToUnixTimeMilliseconds()));
        services.AddSingleton<MediaUploadNotifier>();
        services.AddSingleton<IThumbnailer, SkiaThumbnailer>();
        // Remote media comes over federation, with the signing client that AddFederation registers.
        services.AddSingleton<IRemoteMediaSource, FederationMediaSource>();
        services.AddMediaFiles(Path.Combine(options.DataDirectory, "media"));
        services.AddScoped<MediaService>();

        var preview = media.UrlPreview;
        services.AddSingleton(new UrlPreviewPolicy(preview.Enabled, preview.MaxPageBytes, preview.MaxImageBytes));
        services.AddSingleton<IUrlFetcher>(sp => new GuardedUrlFetcher(
            new AddressFilter([.. preview.AllowedNetworks.Select(IPNetwork.Parse)]),
            TimeSpan.FromSeconds(preview.TimeoutSeconds),
            $"{ServerSoftware.Name}/{ServerSoftware.Version} (URL preview)",
            sp.GetRequiredService<ILogger<GuardedUrlFetcher>>()));
        services.AddScoped<UrlPreviewService>();
        return services;
    }
}
