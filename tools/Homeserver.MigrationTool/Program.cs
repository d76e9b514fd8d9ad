// Adds an EF Core migration for every database provider: the dotnet-ef tool's "migrations add", for machines
// where that tool cannot be installed. Usage: dotnet run --project tools/Homeserver.MigrationTool -- add NAME
using Homeserver.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

if (args is not ["add", var name])
{
    Console.Error.WriteLine("Usage: dotnet run --project tools/Homeserver.MigrationTool -- add NAME");
    return 2;
}

var storageProject = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Homeserver.Storage"));
if (!File.Exists(Path.Combine(storageProject, "Homeserver.Storage.csproj")))
{
    Console.Error.WriteLine($"Cannot find the storage project at {storageProject}.");
    return 1;
}

foreach (var provider in Enum.GetValues<DatabaseProvider>())
{
    // The connection string is never opened: scaffolding compares the model with the last snapshot.
    using HomeserverDbContext context = provider switch
    {
        DatabaseProvider.Sqlite => new SqliteHomeserverDbContext(
            new DbContextOptionsBuilder<SqliteHomeserverDbContext>().UseSqlite("Data Source=design-time.db").Options),
        DatabaseProvider.Postgres => new PostgresHomeserverDbContext(
            new DbContextOptionsBuilder<PostgresHomeserverDbContext>().UseNpgsql("Host=design-time").Options),
        _ => throw new InvalidOperationException($"Unknown provider {provider}"),
    };

    var services = new ServiceCollection()
        .AddEntityFrameworkDesignTimeServices()
        .AddDbContextDesignTimeServices(context);
    IDesignTimeServices providerServices = provider == DatabaseProvider.Sqlite
        ? new Microsoft.EntityFrameworkCore.Sqlite.Design.Internal.SqliteDesignTimeServices()
        : new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices();
    providerServices.ConfigureDesignTimeServices(services);
    using var serviceProvider = services.BuildServiceProvider();

    var scaffolder = serviceProvider.GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(name, "Homeserver.Storage", $"Migrations.{provider}", "C#");
    var files = scaffolder.Save(storageProject, migration, Path.Combine(storageProject, "Migrations", provider.ToString()));
    Console.WriteLine($"{provider}: {Path.GetRelativePath(storageProject, files.MigrationFile!)}");
}

return 0;
