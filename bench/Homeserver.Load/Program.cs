// Drives any Matrix homeserver over the client-server API and reports what it measured, as a table and as one
// JSON line. Usage: dotnet run -c Release --project bench/Homeserver.Load -- SCENARIO [--option value ...]
using Homeserver.Load;

return await LoadProgram.RunAsync(args);
