// Cross-signing and server-side key backup with matrix-js-sdk's Rust crypto: a user's second device, signed by
// the first with the user's self-signing key, shows as signed by its owner to another user; a device that logs in
// later restores the room keys from the backup and decrypts a message sent before it existed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "matrix-js-sdk";
import { startHomeserver } from "./lib/homeserver.mjs";
import { login, waitFor } from "./lib/clients.mjs";

let server;
const clients = [];
before(async () => {
  server = await startHomeserver({ name: "crosssigning" });
  for (const name of ["alice", "bob", "carol"]) {
    server.cli(["register-user", name], `${name}'s password\n`);
  }
});
after(async () => {
  clients.forEach((c) => c.stopClient());
  await server?.stop();
});

async function signIn(name) {
  const client = await login(server, name, { crypto: true });
  clients.push(client);
  return client;
}

const encryption = { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } };

function passwordAuth(name) {
  return { type: "m.login.password", identifier: { type: "m.id.user", user: name }, password: `${name}'s password` };
}

async function eventually(condition, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test("a second device signed with the self-signing key is seen by another user as signed by its owner", async () => {
  const first = await signIn("alice");
  await first.getCrypto().bootstrapCrossSigning({
    setupNewCrossSigning: true,
    authUploadDeviceSigningKeys: (makeRequest) => makeRequest(passwordAuth("alice")),
  });
  const second = await signIn("alice");
  const bob = await signIn("bob");
  const userId = first.getUserId();
  const secondId = second.getDeviceId();
  // Sharing an encrypted room, bob's client tracks alice's devices.
  const { room_id: roomId } = await first.createRoom({ preset: "public_chat", initial_state: [encryption] });
  await bob.joinRoom(roomId);
  await eventually(() => bob.getCrypto().isEncryptionEnabledInRoom(roomId), "the encrypted room on bob's client");

  // The first device learns of the second from the server, then signs it.
  await eventually(async () => (await first.getCrypto().getUserDeviceInfo([userId], true)).get(userId)?.has(secondId), "the second device in the first's list");
  await eventually(async () => (await bob.getCrypto().getUserDeviceInfo([userId], true)).get(userId)?.has(secondId), "the second device in bob's list");
  assert.equal((await bob.getCrypto().getDeviceVerificationStatus(userId, secondId))?.signedByOwner, false);
  await first.getCrypto().crossSignDevice(secondId);

  await eventually(async () => {
    await bob.getCrypto().getUserDeviceInfo([userId], true);
    return (await bob.getCrypto().getDeviceVerificationStatus(userId, secondId))?.signedByOwner;
  }, "bob seeing alice's second device as signed by alice");
  assert.equal((await first.getCrypto().getDeviceVerificationStatus(userId, secondId))?.crossSigningVerified, true);
});

test("a new device restores room keys from the key backup and decrypts a message sent before it logged in", async () => {
  const first = await signIn("carol");
  const crypto = first.getCrypto();
  await crypto.resetKeyBackup();
  // The new version is enabled by a check that runs after resetKeyBackup returns.
  const version = await eventually(async () => (await crypto.checkKeyBackupAndEnable(), await crypto.getActiveSessionBackupVersion()), "an active backup version");

  const { room_id: roomId } = await first.createRoom({ name: "Diary", initial_state: [encryption] });
  // Sent before the client has seen the room's encryption event, the message would go out in the clear.
  await eventually(() => crypto.isEncryptionEnabledInRoom(roomId), "the encrypted room on carol's client");
  await first.sendTextMessage(roomId, "written before the new device");
  // The backup loop uploads the room key in the background; the server counts the keys of the version.
  await eventually(async () => (await first.http.authedRequest("GET", `/room_keys/version/${version}`)).count > 0, "the room key in the backup");
  const backupKey = await crypto.getSessionBackupPrivateKey();
  assert.ok(backupKey, "the first device holds the backup key");
  // Stopped, so that the only way for the new device to get the room key is the backup.
  first.stopClient();

  const later = await signIn("carol");
  await later.getCrypto().storeSessionBackupPrivateKey(backupKey, version);
  const restored = await later.getCrypto().restoreKeyBackup();
  assert.ok(restored.imported >= 1, `imported ${restored.imported} of ${restored.total} keys`);

  const event = await eventually(() => later.getRoom(roomId)?.getLiveTimeline().getEvents().find((e) => e.getWireType() === "m.room.encrypted"), "the encrypted message in the new device's timeline");
  if (event.isDecryptionFailure() || event.getType() !== "m.room.message") {
    const decrypted = waitFor(event, sdk.MatrixEventEvent.Decrypted, (e) => !e.isDecryptionFailure(), "the message decrypted with the restored key");
    await later.decryptEventIfNeeded(event, { isRetry: true });
    await decrypted;
  }
  assert.equal(event.getContent().body, "written before the new device");
});
