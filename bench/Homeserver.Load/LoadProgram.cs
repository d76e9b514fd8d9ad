namespace Homeserver.Load;

/// <summary>Dispatches to one scenario; every scenario prints a table and a JSON line of its figures.</summary>
internal static class LoadProgram
{
    private const string Usage = """
        Usage: Homeserver.Load SCENARIO [options]

        Scenarios:
          startup --command "CMD" [--url URL] [--runs N]
              Starts CMD N times (default 3) and measures the time until GET /_matrix/client/versions answers at URL
              (default http://127.0.0.1:8008); stops it after each run.
          memory --pid PID [--seconds S]
              Samples the resident memory of process PID every 100 ms for S seconds (default 5): min, mean, max.
          register --url URL [--users N] [--concurrency C]
              Registers N users (default 50) with m.login.dummy, C at a time (default 4): registrations per second and
              latency percentiles. Needs open registration and rate limits off on the server under test.
          media --url URL --pid PID [--megabytes M]
              Registers a user, uploads M MiB (default 50) streamed, downloads it streamed and checks it, sampling the
              resident memory of the server process PID throughout: throughput and memory growth. Needs open
              registration and an upload limit of at least M MiB.

          send --url URL [--messages N] [--concurrency C] [--warmup W]
              Registers C users in one room and sends N messages (default 2000), C at a time (default 1, one after
              another): messages per second and send latency percentiles. W messages (default 1) go first, the same
              way, unmeasured: a few thousand let the server's JIT reach its optimised code.
          latency --url URL [--members M] [--rate R] [--seconds S]
              M members of one room (default 100) each hold a /sync long-poll open while messages are sent at R per
              second (default 500) for S seconds (default 10): send-to-delivery percentiles over every member, and how
              many deliveries never came.
          initial-sync --url URL [--rooms N] [--members M] [--state S] [--messages K] [--new-events E] [--runs R]
              Registers M users (default 20); the first creates N rooms (default 1000), the others join each, and each
              room gets S state events (default 5) and K messages (default 50). Times R initial syncs (default 3) with
              lazy-loaded members and R with all members, then one incremental sync after E new messages (default
              10000) across the rooms.
          storage --url URL --size-command "CMD" [--messages N] [--concurrency C]
              Database bytes per message: CMD prints the database's size in bytes (first number of its output), run
              before and after N messages (default 20000, C senders at a time, default 10) into one room.

          federated-join --url URL_A --remote-url URL_B [--members K] [--local-members L] [--concurrency C] [--remote-pid PID]
              Builds a public room on server A with K members (default 1000): L of them users of A (default K;
              registered and joined C at a time, default 4), the others users of the load generator's own server
              (as for inbound) joined over federation in transactions of 50. Then a user of server B joins it: the join request's time, the time until B's message is
              seen on A, and until B's copy lists all K+1 members; with the PID of B, its resident memory before and
              its peak. Both servers need open registration and rate limits off, and must federate
              (bench/federated-join.sh starts two that do).
          inbound --url URL [--federation-url URL] [--server-name NAME] [--pdus N] [--fork-percent F] [--fork-depth D]
                  [--room-version V] [--warmup W]
              Acts as a homeserver of its own (HTTPS on a loopback port, self-signed; named 127.0.0.1:PORT): a user of
              the server under test creates a public room of version V (default 11) and gives @loadbot of ours power
              50; @loadbot joins over make_join/send_join at the federation URL (default https://127.0.0.1:8448; the
              server name is read from its keys unless given), then sends N PDUs (default 10000) in transactions of 50,
              one at a time: PDUs per second acknowledged, transaction latency percentiles, failed PDUs, whether the
              last PDU is held. F% of the PDUs (default 0) are topic changes branching off the event D back (default
              3), each merged by the next PDU, so that the server resolves state. W PDUs (default 1000) go first,
              unmeasured. Needs open registration, rate limits
              off and --Homeserver:Federation:VerifyTlsCertificates=false on the server under test.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var options = Options.Parse(args[1..]);
        try
        {
            var report = args[0] switch
            {
                "startup" => await StartupScenario.RunAsync(options),
                "memory" => await MemoryScenario.RunAsync(options),
                "register" => await RegisterScenario.RunAsync(options),
                "media" => await MediaScenario.RunAsync(options),
                "send" => await SendScenario.RunAsync(options),
                "latency" => await LatencyScenario.RunAsync(options),
                "initial-sync" => await InitialSyncScenario.RunAsync(options),
                "storage" => await StorageScenario.RunAsync(options),
                "federated-join" => await FederatedJoinScenario.RunAsync(options),
                "inbound" => await InboundScenario.RunAsync(options),
                _ => null,
            };
            if (report is null)
            {
                await Console.Error.WriteLineAsync($"Unknown scenario '{args[0]}'.\n\n{Usage}");
                return 2;
            }

            report.Print(Console.Out);
            return 0;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }
}
