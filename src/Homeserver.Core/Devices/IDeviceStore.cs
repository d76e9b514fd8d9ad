namespace Homeserver.Core.Devices;

/// <summary>The port for a user's devices (the rows behind <c>/devices</c>).</summary>
public interface IDeviceStore
{
    Task<IReadOnlyList<Device>> ListDevicesAsync(string userId, CancellationToken cancellationToken);

    Task<Device?> GetDeviceAsync(string userId, string deviceId, CancellationToken cancellationToken);

    /// <summary>False when the user has no such device.</summary>
    Task<bool> RenameDeviceAsync(string userId, string deviceId, string displayName, CancellationToken cancellationToken);

    /// <summary>Deletes the devices and every access token issued to them, in one transaction; returns the devices deleted.</summary>
    Task<IReadOnlyList<string>> DeleteDevicesAsync(string userId, IReadOnlyCollection<string> deviceIds, CancellationToken cancellationToken);
}
