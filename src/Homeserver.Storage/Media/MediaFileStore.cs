using System.Buffers;
using System.Security.Cryptography;
using Homeserver.Core.Media;

namespace Homeserver.Storage.Media;

/// <summary>
/// Media bytes on disk, content-addressed: <c>{root}/ab/cd/abcd…</c> by SHA-256, so identical uploads are stored
/// once; thumbnails under <c>{root}/thumbnails/ab/cd/abcd…/{variant}.{ext}</c>. Files are written to
/// <c>{root}/tmp</c> first and moved into place, so a reader never sees a partial file.
/// </summary>
public sealed class MediaFileStore(string root) : IMediaContentStore
{
    private const int BufferSize = 81_920;

    private static readonly (string Extension, string ContentType)[] ThumbnailTypes = [(".jpg", "image/jpeg"), (".png", "image/png")];

    private string TempDirectory => Path.Combine(root, "tmp");

    public async Task<StoredContent?> StoreAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(TempDirectory);
        var temp = Path.Combine(TempDirectory, Guid.NewGuid().ToString("N"));
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    length += read;
                    if (length > maxBytes)
                    {
                        return null;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            var path = ContentPath(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path))
            {
                try
                {
                    File.Move(temp, path);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // The same content arrived twice at once; the other copy is identical.
                }
            }

            return new StoredContent(sha256, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            File.Delete(temp);
        }
    }

    public Stream? OpenContent(string sha256) => OpenRead(ContentPath(sha256));

    public CachedThumbnail? OpenThumbnail(string sha256, string variant)
    {
        foreach (var (extension, contentType) in ThumbnailTypes)
        {
            if (OpenRead(ThumbnailPath(sha256, variant, extension)) is { } stream)
            {
                return new CachedThumbnail(stream, contentType, stream.Length);
            }
        }

        return null;
    }

    public async Task SaveThumbnailAsync(string sha256, string variant, string contentType, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var extension = ThumbnailTypes.Single(t => t.ContentType == contentType).Extension;
        var path = ThumbnailPath(sha256, variant, extension);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Directory.CreateDirectory(TempDirectory);
        var temp = Path.Combine(TempDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            await File.WriteAllBytesAsync(temp, data, cancellationToken);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private string ContentPath(string sha256)
    {
        CheckHash(sha256);
        return Path.Combine(root, sha256[..2], sha256[2..4], sha256);
    }

    private string ThumbnailPath(string sha256, string variant, string extension)
    {
        CheckHash(sha256);
        if (!variant.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException($"'{variant}' is not a thumbnail variant", nameof(variant));
        }

        return Path.Combine(root, "thumbnails", sha256[..2], sha256[2..4], sha256, variant + extension);
    }

    // Hashes come from our own database, but a path is built from them: refuse anything that is not one.
    private static void CheckHash(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{sha256}' is not a SHA-256 in lower-case hex", nameof(sha256));
        }
    }

    private static FileStream? OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
