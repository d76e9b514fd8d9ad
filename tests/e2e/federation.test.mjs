// Two of our servers federating, with a matrix-js-sdk client on each: an invite across servers, the join through
// the inviting server, and chat both ways, every event carried by server-server transactions over HTTPS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "matrix-js-sdk";
import { startHomeserver } from "./lib/homeserver.mjs";
import { login, nextEvent, waitFor } from "./lib/clients.mjs";

const servers = [];
const clients = [];
before(async () => {
  for (const [name, user] of [["fed_a", "alice"], ["fed_b", "bob"]]) {
    const server = await startHomeserver({ name, federating: true });
    server.cli(["register-user", user], `${user}'s password\n`);
    servers.push(server);
  }
});
after(async () => {
  clients.forEach((c) => c.stopClient());
  for (const server of servers) {
    await server.stop();
  }
});

test("users on two servers invite, join and chat both ways over federation", async () => {
  const alice = await login(servers[0], "alice");
  const bob = await login(servers[1], "bob");
  clients.push(alice, bob);
  assert.notEqual(alice.getDomain(), bob.getDomain());

  const invited = waitFor(bob, sdk.RoomMemberEvent.Membership,
    (_e, member) => member.userId === bob.getUserId() && member.membership === "invite", "bob's invite from the other server", 30_000);
  const { room_id: roomId } = await alice.createRoom({ name: "Across", invite: [bob.getUserId()] });
  await invited;
  assert.equal(bob.getRoom(roomId)?.name, "Across");

  const aliceSeesJoin = waitFor(alice, sdk.RoomMemberEvent.Membership,
    (_e, member) => member.userId === bob.getUserId() && member.membership === "join", "bob's join on alice's server", 30_000);
  await bob.joinRoom(roomId);
  await aliceSeesJoin;

  const bobHears = nextEvent(bob, (e) => e.getType() === "m.room.message" && e.getContent().body === "hello from a", "alice's message", 30_000);
  await alice.sendTextMessage(roomId, "hello from a");
  assert.equal((await bobHears).getSender(), alice.getUserId());

  const aliceHears = nextEvent(alice, (e) => e.getType() === "m.room.message" && e.getContent().body === "hello from b", "bob's reply", 30_000);
  await bob.sendTextMessage(roomId, "hello from b");
  assert.equal((await aliceHears).getSender(), bob.getUserId());

  const typing = waitFor(alice, sdk.RoomMemberEvent.Typing, (_e, member) => member.userId === bob.getUserId() && member.typing, "bob typing", 30_000);
  await bob.sendTyping(roomId, true, 10_000);
  await typing;
});

test("a file uploaded on one server is downloaded by a client of the other through its own server", async () => {
  const alice = await login(servers[0], "alice");
  const bob = await login(servers[1], "bob");
  clients.push(alice, bob);
  const text = new TextEncoder().encode("shared across servers, " + new Date().toISOString());
  const { content_uri: mxc } = await alice.uploadContent(new Blob([text], { type: "text/plain" }), { name: "across.txt", type: "text/plain" });
  assert.ok(mxc.startsWith(`mxc://${alice.getDomain()}/`), mxc);

  // Bob's client builds the URL on his own server, which fetches the media from alice's over federation.
  const url = bob.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
  assert.ok(url.startsWith(servers[1].baseUrl), url);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${bob.getAccessToken()}` } });
  assert.equal(response.status, 200);
  assert.deepEqual(new Uint8Array(await response.arrayBuffer()), text);
  assert.equal(response.headers.get("content-type"), "text/plain");
  assert.match(response.headers.get("content-disposition"), /^inline; filename=("?)across\.txt\1/);
});
