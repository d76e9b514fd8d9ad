namespace Homeserver.Client.UserDirectory;

public sealed record UserDirectoryRequest(string SearchTerm, int? Limit = null);
