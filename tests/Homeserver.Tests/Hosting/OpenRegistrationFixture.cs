namespace Homeserver.Tests.Hosting;

/// <summary>Servers on which anyone may register.</summary>
public sealed class OpenRegistrationFixture : HomeserverFixture
{
    protected override string[] Settings => ["--Homeserver:Registration:Enabled=true"];
}
