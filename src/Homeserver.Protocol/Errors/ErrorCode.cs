namespace Homeserver.Protocol.Errors;

/// <summary>
/// A Matrix error code (<c>errcode</c>). A value type rather than an enum, so that codes received from remote
/// servers that we do not know pass through intact.
/// </summary>
public readonly record struct ErrorCode(string Value)
{
    public static ErrorCode Forbidden { get; } = new("M_FORBIDDEN");
    public static ErrorCode UnknownToken { get; } = new("M_UNKNOWN_TOKEN");
    public static ErrorCode MissingToken { get; } = new("M_MISSING_TOKEN");
    public static ErrorCode UserLocked { get; } = new("M_USER_LOCKED");
    public static ErrorCode BadJson { get; } = new("M_BAD_JSON");
    public static ErrorCode NotJson { get; } = new("M_NOT_JSON");
    public static ErrorCode NotFound { get; } = new("M_NOT_FOUND");
    public static ErrorCode LimitExceeded { get; } = new("M_LIMIT_EXCEEDED");
    public static ErrorCode Unrecognized { get; } = new("M_UNRECOGNIZED");
    public static ErrorCode Unknown { get; } = new("M_UNKNOWN");
    public static ErrorCode Unauthorized { get; } = new("M_UNAUTHORIZED");
    public static ErrorCode UserDeactivated { get; } = new("M_USER_DEACTIVATED");
    public static ErrorCode UserInUse { get; } = new("M_USER_IN_USE");
    public static ErrorCode InvalidUsername { get; } = new("M_INVALID_USERNAME");
    public static ErrorCode RoomInUse { get; } = new("M_ROOM_IN_USE");
    public static ErrorCode InvalidRoomState { get; } = new("M_INVALID_ROOM_STATE");
    public static ErrorCode UnsupportedRoomVersion { get; } = new("M_UNSUPPORTED_ROOM_VERSION");
    public static ErrorCode IncompatibleRoomVersion { get; } = new("M_INCOMPATIBLE_ROOM_VERSION");
    public static ErrorCode BadState { get; } = new("M_BAD_STATE");
    public static ErrorCode GuestAccessForbidden { get; } = new("M_GUEST_ACCESS_FORBIDDEN");
    public static ErrorCode MissingParam { get; } = new("M_MISSING_PARAM");
    public static ErrorCode InvalidParam { get; } = new("M_INVALID_PARAM");
    public static ErrorCode TooLarge { get; } = new("M_TOO_LARGE");
    public static ErrorCode Exclusive { get; } = new("M_EXCLUSIVE");
    public static ErrorCode ResourceLimitExceeded { get; } = new("M_RESOURCE_LIMIT_EXCEEDED");
    public static ErrorCode UnknownDevice { get; } = new("M_UNKNOWN_DEVICE");
    public static ErrorCode InvalidSignature { get; } = new("M_INVALID_SIGNATURE");
    public static ErrorCode WrongRoomKeysVersion { get; } = new("M_WRONG_ROOM_KEYS_VERSION");
    public static ErrorCode UnableToAuthoriseJoin { get; } = new("M_UNABLE_TO_AUTHORISE_JOIN");
    public static ErrorCode UnableToGrantJoin { get; } = new("M_UNABLE_TO_GRANT_JOIN");

    public override string ToString() => Value;
}
