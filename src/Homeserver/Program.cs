using Homeserver.Cli;

return await HomeserverCli.RunAsync(args, Console.Out, Console.Error, Console.In);
