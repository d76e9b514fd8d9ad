// End-to-end encryption with matrix-js-sdk's Rust crypto: keys are uploaded, claimed and queried through this
// server, the room key travels as a to-device message, and the other user decrypts the right plaintext.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "matrix-js-sdk";
import { startHomeserver } from "./lib/homeserver.mjs";

let server;
const clients = [];
before(async () => {
  server = await startHomeserver({ name: "e2ee" });
  for (const name of ["alice", "bob"]) {
    server.cli(["register-user", name], `${name}'s password\n`);
  }
});
after(async () => {
  clients.forEach((c) => c.stopClient());
  await server?.stop();
});

async function login(name) {
  const anonymous = sdk.createClient({ baseUrl: server.baseUrl });
  const session = await anonymous.loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: name },
    password: `${name}'s password`,
  });
  const client = sdk.createClient({
    baseUrl: server.baseUrl,
    accessToken: session.access_token,
    userId: session.user_id,
    deviceId: session.device_id,
  });
  clients.push(client);
  await client.initRustCrypto({ useIndexedDB: false });
  const prepared = new Promise((resolve, reject) => {
    client.on(sdk.ClientEvent.Sync, (state, _previous, data) => {
      if (state === "PREPARED") resolve();
      if (state === "ERROR") reject(data?.error ?? new Error("sync failed"));
    });
  });
  await client.startClient({ initialSyncLimit: 10 });
  await prepared;
  return client;
}

function waitFor(emitter, eventName, matches, what, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    const listener = (...args) => {
      if (matches(...args)) {
        clearTimeout(timer);
        emitter.off(eventName, listener);
        resolve(args);
      }
    };
    emitter.on(eventName, listener);
  });
}

test("a megolm message sent by one matrix-js-sdk user is decrypted by another", async () => {
  const alice = await login("alice");
  const bob = await login("bob");

  const invited = waitFor(bob, sdk.RoomMemberEvent.Membership, (_e, m) => m.userId === bob.getUserId() && m.membership === "invite", "bob's invite");
  const { room_id: roomId } = await alice.createRoom({
    name: "Secret",
    invite: [bob.getUserId()],
    initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
  });
  await invited;
  const bobJoined = waitFor(alice, sdk.RoomMemberEvent.Membership, (_e, m) => m.userId === bob.getUserId() && m.membership === "join", "bob's join");
  await bob.joinRoom(roomId);
  await bobJoined;

  const decrypted = waitFor(bob, sdk.MatrixEventEvent.Decrypted, (event) => event.getRoomId() === roomId && event.getType() === "m.room.message", "the decrypted message");
  await alice.sendTextMessage(roomId, "the eagle lands at dawn");
  const [event] = await decrypted;

  assert.equal(event.isDecryptionFailure(), false, `decryption failed: ${event.decryptionFailureReason}`);
  assert.equal(event.getWireType(), "m.room.encrypted");
  assert.equal(event.getContent().body, "the eagle lands at dawn");
  assert.equal(event.getSender(), alice.getUserId());
});
