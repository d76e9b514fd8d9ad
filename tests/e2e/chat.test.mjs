// Chatting with a real Matrix client library: two matrix-js-sdk clients create a room, invite, join, talk both ways
// through /sync, type, send receipts and paginate history.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "matrix-js-sdk";
import { startHomeserver } from "./lib/homeserver.mjs";
import { login as loginAs, nextEvent, waitFor } from "./lib/clients.mjs";

let server;
const clients = [];
before(async () => {
  server = await startHomeserver({ name: "chat" });
  for (const name of ["alice", "bob"]) {
    server.cli(["register-user", name], `${name}'s password\n`);
  }
});
after(async () => {
  clients.forEach((c) => c.stopClient());
  await server?.stop();
});

async function login(name, options = {}) {
  const client = await loginAs(server, name, options);
  clients.push(client);
  return client;
}

test("two matrix-js-sdk clients create a room, invite, join and chat both ways, with typing and receipts", async () => {
  const alice = await login("alice");
  const bob = await login("bob");

  const invited = waitFor(bob, sdk.RoomMemberEvent.Membership, (_e, member) => member.userId === bob.getUserId() && member.membership === "invite", "bob's invite");
  const { room_id: roomId } = await alice.createRoom({ name: "Tea", invite: [bob.getUserId()] });
  await invited;
  await bob.joinRoom(roomId);

  const bobHears = nextEvent(bob, (e) => e.getType() === "m.room.message" && e.getContent().body === "hello bob", "alice's message");
  await alice.sendTextMessage(roomId, "hello bob");
  const heard = await bobHears;
  assert.equal(heard.getSender(), alice.getUserId());
  assert.equal(heard.getRoomId(), roomId);

  const aliceHears = nextEvent(alice, (e) => e.getType() === "m.room.message" && e.getContent().body === "hi alice", "bob's reply");
  await bob.sendTextMessage(roomId, "hi alice");
  const reply = await aliceHears;
  assert.equal(reply.getSender(), bob.getUserId());

  const typing = waitFor(alice, sdk.RoomMemberEvent.Typing, (_e, member) => member.userId === bob.getUserId() && member.typing, "bob typing");
  await bob.sendTyping(roomId, true, 10_000);
  await typing;

  const receipt = waitFor(bob, sdk.RoomEvent.Receipt, (event) => {
    const content = event.getContent();
    return content[reply.getId()]?.["m.read"]?.[alice.getUserId()] !== undefined;
  }, "alice's read receipt");
  await alice.sendReadReceipt(reply);
  await receipt;

  const room = alice.getRoom(roomId);
  assert.equal(room.name, "Tea");
  assert.deepEqual(room.getJoinedMembers().map((m) => m.userId).sort(), [alice.getUserId(), bob.getUserId()].sort());
});

test("a new matrix-js-sdk session paginates the whole history back", async () => {
  const alice = clients[0];
  const { room_id: roomId } = await alice.createRoom({ name: "Archive" });
  for (let i = 0; i < 30; i++) {
    await alice.sendTextMessage(roomId, `line ${i}`);
  }

  const fresh = await login("alice", { initialSyncLimit: 5 });
  const room = fresh.getRoom(roomId);
  assert.ok(room, "the room is in the new session's initial sync");
  while (room.getLiveTimeline().getPaginationToken(sdk.EventTimeline.BACKWARDS) !== null
         && !room.getLiveTimeline().getEvents().some((e) => e.getType() === "m.room.create")) {
    await fresh.scrollback(room, 10);
  }

  const lines = room.getLiveTimeline().getEvents()
    .filter((e) => e.getType() === "m.room.message")
    .map((e) => e.getContent().body);
  assert.deepEqual(lines, Array.from({ length: 30 }, (_, i) => `line ${i}`));
});
