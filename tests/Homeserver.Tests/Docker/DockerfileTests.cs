using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Homeserver.Tests.Docker;

/// <summary>
/// The image's build restores packages from the project files alone, copied before the sources so that the package
/// layer is cached; a project the server references but the Dockerfile does not copy there breaks the build
/// (its assets file is missing at publish). No Docker engine is needed to check that.
/// </summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public void The_restore_layer_holds_every_project_the_server_is_built_from()
    {
        var root = RepositoryRoot();
        var dockerfile = File.ReadAllLines(Path.Combine(root, "docker", "Dockerfile"));
        var restoreAt = Array.FindIndex(dockerfile, l => l.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restoreAt > 0, "the Dockerfile restores before it copies the sources");
        var copied = dockerfile[..restoreAt]
            .Select(l => CopiedProject().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);

        var needed = ProjectClosure(root, "src/Homeserver/Homeserver.csproj");
        Assert.Empty(needed.Except(copied));
    }

    private static HashSet<string> ProjectClosure(string root, string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(Path.Combine(root, next))!;
            foreach (var reference in XDocument.Load(Path.Combine(root, next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(directory, (string)reference.Attribute("Include")!));
                pending.Push(Path.GetRelativePath(root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Homeserver.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Homeserver.sln) is not above the test's directory");
    }

    [GeneratedRegex(@"^COPY\s+(\S+\.csproj)\s")]
    private static partial Regex CopiedProject();
}
