// Two of our servers federating, with matrix-js-sdk clients on each: an invite across servers, the join through
// the inviting server, and chat both ways, every event carried by server-server transactions over HTTPS; then the
// same in an encrypted room, where keys are fetched from the other server and room keys travel as to-device EDUs;
// and a file uploaded on one server downloaded through the other.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "matrix-js-sdk";
import { startHomeserver } from "./lib/homeserver.mjs";
import { login, nextEvent, waitFor } from "./lib/clients.mjs";

const servers = [];
const clients = [];
before(async () => {
  for (const [name, users] of [["fed_a", ["alice", "carol"]], ["fed_b", ["bob", "dan"]]]) {
    const server = await startHomeserver({ name, federating: true });
    for (const user of users) {
      server.cli(["register-user", user], `${user}'s password\n`);
    }
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
  // The SDK names the room from the invite's stripped state after it reports the membership, not always at once.
  const named = waitFor(bob, sdk.RoomEvent.Name, (room) => room.name === "Across", "the invited room's name", 30_000);
  const { room_id: roomId } = await alice.createRoom({ name: "Across", invite: [bob.getUserId()] });
  await invited;
  // The room the SDK named, not bob.getRoom(): the SDK may report the name before it stores the invited room.
  const [namedRoom] = await named;
  assert.equal(namedRoom.roomId, roomId);

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

test("users on two servers exchange megolm-encrypted messages and each decrypts the other's", async () => {
  const carol = await login(servers[0], "carol", { crypto: true });
  const dan = await login(servers[1], "dan", { crypto: true });
  clients.push(carol, dan);

  const invited = waitFor(dan, sdk.RoomMemberEvent.Membership,
    (_e, member) => member.userId === dan.getUserId() && member.membership === "invite", "dan's invite from the other server", 30_000);
  const { room_id: roomId } = await carol.createRoom({
    name: "Secret across",
    invite: [dan.getUserId()],
    initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
  });
  await invited;
  const carolSeesJoin = waitFor(carol, sdk.RoomMemberEvent.Membership,
    (_e, member) => member.userId === dan.getUserId() && member.membership === "join", "dan's join on carol's server", 30_000);
  await dan.joinRoom(roomId);
  await carolSeesJoin;

  for (const [from, to, text] of [[carol, dan, "the eagle lands at dawn"], [dan, carol, "the owl flies at dusk"]]) {
    // The message may come before its room key (a separate to-device message): the SDK then reports a failure
    // and decrypts again once the key is there, so the test waits for a successful decryption.
    const decrypted = waitFor(to, sdk.MatrixEventEvent.Decrypted,
      (event) => event.getRoomId() === roomId && event.getType() === "m.room.message" && !event.isDecryptionFailure(),
      `the decrypted message from ${from.getUserId()}`, 30_000);
    await from.sendTextMessage(roomId, text);
    const [event] = await decrypted;
    assert.equal(event.isDecryptionFailure(), false, `decryption failed: ${event.decryptionFailureReason}`);
    assert.equal(event.getWireType(), "m.room.encrypted");
    assert.equal(event.getContent().body, text);
    assert.equal(event.getSender(), from.getUserId());
  }
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
