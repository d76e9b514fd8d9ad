// Registering with a real Matrix client library: matrix-js-sdk walks user-interactive auth against a started server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "matrix-js-sdk";
import { startHomeserver } from "./lib/homeserver.mjs";

let server;
before(async () => {
  server = await startHomeserver({ name: "register", settings: ["--Homeserver:Registration:Enabled=true"] });
});
after(async () => server?.stop());

test("matrix-js-sdk registers through the m.login.dummy stage and is logged in", async () => {
  const client = sdk.createClient({ baseUrl: server.baseUrl });

  const challenge = await client.registerRequest({ username: "carol", password: "carol's password" }).catch((e) => e);
  assert.equal(challenge.httpStatus, 401);
  assert.deepEqual(challenge.data.flows, [{ stages: ["m.login.dummy"] }]);

  const account = await client.registerRequest({
    username: "carol",
    password: "carol's password",
    auth: { type: "m.login.dummy", session: challenge.data.session },
  });
  assert.equal(account.user_id, "@carol:localhost");

  const carol = sdk.createClient({ baseUrl: server.baseUrl, accessToken: account.access_token, userId: account.user_id });
  assert.equal((await carol.whoami()).user_id, "@carol:localhost");
  assert.equal((await client.isUsernameAvailable("dave")), true);
  assert.equal(await client.isUsernameAvailable("carol"), false);
});
