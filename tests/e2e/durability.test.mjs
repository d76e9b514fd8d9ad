// Durability: an event whose ID the server returned is committed. The server is killed with SIGKILL in the middle
// of a burst of sends; after a restart every acknowledged event is in /messages and in /sync.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHomeserver } from "./lib/homeserver.mjs";

let server;
before(async () => {
  server = await startHomeserver({ name: "durability" });
  server.cli(["register-user", "writer"], "writer's password\n");
});
after(async () => server?.stop());

async function call(method, path, token, body) {
  const response = await fetch(server.baseUrl + path, {
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    throw Object.assign(new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`), { status: response.status });
  }
  return json;
}

async function login() {
  const session = await call("POST", "/_matrix/client/v3/login", undefined, {
    type: "m.login.password", identifier: { type: "m.id.user", user: "writer" }, password: "writer's password",
  });
  return session.access_token;
}

test("every send acknowledged before a SIGKILL is in /messages and /sync after the restart", async () => {
  let token = await login();
  const { room_id: roomId } = await call("POST", "/_matrix/client/v3/createRoom", token, { name: "Ledger" });

  const acknowledged = new Map();
  let next = 0;
  let killed = false;
  const sender = async () => {
    while (!killed) {
      const n = next++;
      try {
        const { event_id: eventId } = await call("PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/burst-${n}`, token,
          { msgtype: "m.text", body: `entry ${n}` });
        acknowledged.set(eventId, `entry ${n}`);
      } catch {
        return; // The server died under this request: not acknowledged, so it may or may not be there.
      }
    }
  };
  const senders = Array.from({ length: 8 }, sender);
  while (acknowledged.size < 150) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }

  const crash = server.crashAndRestart();
  killed = true;
  await Promise.allSettled(senders);
  await crash;

  token = await login();
  const seen = new Map();
  let from;
  do {
    const page = await call("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100${from ? `&from=${from}` : ""}`, token);
    page.chunk.forEach((e) => seen.set(e.event_id, e.content.body));
    from = page.end;
  } while (from);
  const filter = encodeURIComponent(JSON.stringify({ room: { timeline: { limit: 100000 } } }));
  const sync = await call("GET", `/_matrix/client/v3/sync?filter=${filter}`, token);
  const synced = new Set(sync.rooms.join[roomId].timeline.events.map((e) => e.event_id));

  assert.ok(acknowledged.size >= 150);
  for (const [eventId, body] of acknowledged) {
    assert.equal(seen.get(eventId), body, `acknowledged ${eventId} (${body}) is missing from /messages after the crash`);
    assert.ok(synced.has(eventId), `acknowledged ${eventId} (${body}) is missing from /sync after the crash`);
  }

  // The engine goes on where it stopped: a send after the restart extends the same room.
  const { event_id: after } = await call("PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/after`, token, { msgtype: "m.text", body: "after" });
  const latest = await call("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=1`, token);
  assert.equal(latest.chunk[0].event_id, after);
});
