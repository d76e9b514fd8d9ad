namespace Homeserver.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
