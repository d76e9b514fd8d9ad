// matrix-js-sdk clients for the tests: logged in with the password the test registered, synced, and stopped by the
// caller; plus waiting for what a client receives.
import * as sdk from "matrix-js-sdk";

/**
 * Logs in as `name` (password "`name`'s password") on the server and waits for the first sync; with
 * `options.crypto`, the client encrypts with matrix-js-sdk's Rust crypto (keys kept in memory).
 */
export async function login(server, name, options = {}) {
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
  if (options.crypto) {
    await client.initRustCrypto({ useIndexedDB: false });
  }
  const prepared = new Promise((resolve, reject) => {
    client.on(sdk.ClientEvent.Sync, (state, _previous, data) => {
      if (state === "PREPARED") resolve();
      if (state === "ERROR") reject(data?.error ?? new Error("sync failed"));
    });
  });
  await client.startClient({ initialSyncLimit: options.initialSyncLimit ?? 10 });
  await prepared;
  if (options.crypto) {
    await deviceKeysUploaded(server, session);
  }
  return client;
}

/**
 * The Rust crypto uploads the device's keys some time after the first sync. A test that goes on before then races
 * with it: another user's client may encrypt for this user while the device has no keys yet, and so leave it out.
 */
async function deviceKeysUploaded(server, session, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${server.baseUrl}/_matrix/client/v3/keys/query`, {
      method: "POST",
      headers: { Authorization: `Bearer ${session.access_token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ device_keys: { [session.user_id]: [session.device_id] } }),
    });
    const body = await response.json();
    if (body.device_keys?.[session.user_id]?.[session.device_id]) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the keys of ${session.user_id}'s device were not uploaded within ${timeoutMs} ms`);
}

/** Resolves with the first event the client's timelines receive that matches. */
export function nextEvent(client, matches, what, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    const listener = (event, _room, toStartOfTimeline) => {
      if (!toStartOfTimeline && matches(event)) {
        clearTimeout(timer);
        client.off(sdk.RoomEvent.Timeline, listener);
        resolve(event);
      }
    };
    client.on(sdk.RoomEvent.Timeline, listener);
  });
}

export function waitFor(emitter, eventName, matches, what, timeoutMs = 15_000) {
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
