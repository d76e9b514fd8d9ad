// Starts a real homeserver process for a test: the built binary, its own data directory, free ports, and the
// database the test script provides (HOMESERVER_TEST_POSTGRES) or a SQLite file.
import { spawn, execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const binary = path.join(repo, "src/Homeserver/bin/Release/net10.0/homeserver.dll");

/**
 * The database of a new server: a fresh PostgreSQL database when the test script provides a server and
 * HOMESERVER_E2E_DATABASE is not "Sqlite"; otherwise a SQLite file in the server's data directory.
 */
function databaseSettings(dataDirectory, name) {
  const admin = process.env.HOMESERVER_TEST_POSTGRES;
  if (!admin || process.env.HOMESERVER_E2E_DATABASE === "Sqlite") {
    return [];
  }
  const database = `e2e_${name}_${process.pid}_${Date.now()}`;
  execFileSync("psql", [toUri(admin), "-qc", `CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`]);
  const connection = admin.replace(/Database=[^;]*/i, "").replace(/;;+/g, ";") + `;Database=${database}`;
  return [`--Homeserver:Database:Provider=Postgres`, `--Homeserver:Database:ConnectionString=${connection}`];
}

/** psql takes a URI; the test script's variable is an Npgsql key=value string. */
function toUri(connection) {
  const parts = Object.fromEntries(connection.split(";").filter(Boolean).map((p) => {
    const i = p.indexOf("=");
    return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()];
  }));
  const auth = parts.username ? `${encodeURIComponent(parts.username)}${parts.password ? ":" + encodeURIComponent(parts.password) : ""}@` : "";
  return `postgresql://${auth}${parts.host ?? "127.0.0.1"}:${parts.port ?? 5432}/${parts.database ?? "postgres"}`;
}

/** A port that was free a moment ago, for a server whose name must carry its federation port. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * With `federating`, the server is named `127.0.0.1:PORT` after its federation listener, so that other test servers
 * reach it without discovery; otherwise it is `localhost` on ports the OS picks.
 */
export async function startHomeserver({ name = "hs", settings = [], federating = false } = {}) {
  const dataDirectory = mkdtempSync(path.join(tmpdir(), `homeserver-e2e-${name}-`));
  const federationPort = federating ? await freePort() : 0;
  const serverName = federating ? `127.0.0.1:${federationPort}` : "localhost";
  const args = [
    binary,
    `--Homeserver:ServerName=${serverName}`,
    `--Homeserver:DataDirectory=${dataDirectory}`,
    "--Homeserver:Listeners:Client=http://127.0.0.1:0",
    `--Homeserver:Listeners:Federation=https://127.0.0.1:${federationPort}`,
    "--Homeserver:Federation:VerifyTlsCertificates=false",
    "--Homeserver:RateLimits:Enabled=false",
    ...databaseSettings(dataDirectory, name),
    ...settings,
  ];
  let child;
  let baseUrl;
  const launch = async () => {
    child = spawn("dotnet", args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    baseUrl = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`homeserver did not start within 30 s:\n${output}`)), 30_000);
      const onData = (chunk) => {
        output += chunk;
        if (process.env.HOMESERVER_E2E_LOG_DIR) {
          // For finding why a test failed: each server's output in a file of its own, kept after the test.
          appendFileSync(path.join(process.env.HOMESERVER_E2E_LOG_DIR, `${name}-${federationPort || process.pid}.log`), chunk);
        }
        const match = /Now listening on: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("exit", (code) => reject(new Error(`homeserver exited with ${code}:\n${output}`)));
    });
  };
  await launch();

  const exited = () => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.on("exit", resolve)));
  return {
    get baseUrl() {
      return baseUrl;
    },
    serverName,
    /** Kills the process with SIGKILL, as a power cut would, and starts it again on the same data; baseUrl changes. */
    async crashAndRestart() {
      child.kill("SIGKILL");
      await exited();
      await launch();
    },
    /** Runs a CLI command of the same binary against the same data directory and database. */
    cli(commandArgs, input = "") {
      return execFileSync("dotnet", [...args, ...commandArgs], { input, encoding: "utf8" });
    },
    async stop() {
      child.kill("SIGTERM");
      await exited();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}
