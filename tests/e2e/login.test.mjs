// Logging in with a real Matrix client library: matrix-js-sdk against a started homeserver.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "matrix-js-sdk";
import { startHomeserver } from "./lib/homeserver.mjs";

let server;
before(async () => {
  server = await startHomeserver({ name: "login" });
  server.cli(["register-user", "alice"], "alice's password\n");
});
after(async () => server?.stop());

test("matrix-js-sdk logs in with a password, sees itself with whoami, and logs out", async () => {
  const client = sdk.createClient({ baseUrl: server.baseUrl });

  const flows = await client.loginFlows();
  assert.ok(flows.flows.some((f) => f.type === "m.login.password"));

  const login = await client.loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: "alice" },
    password: "alice's password",
    initial_device_display_name: "e2e",
  });
  assert.equal(login.user_id, "@alice:localhost");
  assert.ok(login.access_token);

  const authed = sdk.createClient({ baseUrl: server.baseUrl, accessToken: login.access_token, userId: login.user_id });
  const me = await authed.whoami();
  assert.equal(me.user_id, "@alice:localhost");
  assert.equal(me.device_id, login.device_id);

  await authed.logout();
  await assert.rejects(authed.whoami(), (e) => e.errcode === "M_UNKNOWN_TOKEN" && e.httpStatus === 401);
});

test("matrix-js-sdk gets the spec's errors for a wrong password and for bad JSON", async () => {
  const client = sdk.createClient({ baseUrl: server.baseUrl });
  await assert.rejects(
    client.loginRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: "alice" }, password: "wrong" }),
    (e) => e.errcode === "M_FORBIDDEN" && e.httpStatus === 403,
  );

  const response = await fetch(`${server.baseUrl}/_matrix/client/v3/login`, { method: "POST", body: "{not json" });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).errcode, "M_NOT_JSON");
});
