// The content repository with a real Matrix client library: matrix-js-sdk uploads, and the authenticated media URL
// it builds serves the bytes back (to a request with the access token only).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as sdk from "matrix-js-sdk";
import { startHomeserver } from "./lib/homeserver.mjs";

// A 4×3 RGB PNG.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAKklEQVR4nA3HMQEAMAzDMAMriMDpaSgBUYCbPgEOLh5CnLjx8lOnbr36AOO3DflsbMvSAAAAAElFTkSuQmCC",
  "base64",
);

let server;
let client;
before(async () => {
  server = await startHomeserver({ name: "media" });
  server.cli(["register-user", "erin"], "erin's password\n");
  const login = await sdk.createClient({ baseUrl: server.baseUrl }).loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: "erin" },
    password: "erin's password",
  });
  client = sdk.createClient({ baseUrl: server.baseUrl, accessToken: login.access_token, userId: login.user_id });
});
after(async () => server?.stop());

test("matrix-js-sdk uploads a file and downloads it from the authenticated media URL", async () => {
  const text = new TextEncoder().encode("Hello from matrix-js-sdk, " + new Date().toISOString());
  const { content_uri: mxc } = await client.uploadContent(new Blob([text], { type: "text/plain" }), { name: "hello.txt", type: "text/plain" });
  assert.match(mxc, /^mxc:\/\/localhost\/[A-Za-z0-9_-]+$/);

  const url = client.mxcUrlToHttp(mxc, undefined, undefined, undefined, false, true, true);
  assert.ok(url.includes("/_matrix/client/v1/media/download/"), url);

  const response = await fetch(url, { headers: { Authorization: `Bearer ${client.getAccessToken()}` } });
  assert.equal(response.status, 200);
  assert.deepEqual(new Uint8Array(await response.arrayBuffer()), text);
  assert.equal(response.headers.get("content-type"), "text/plain");
  assert.match(response.headers.get("content-disposition"), /^inline; filename=("?)hello\.txt\1/);
  assert.match(response.headers.get("content-security-policy"), /^sandbox;/);

  const anonymous = await fetch(url);
  assert.equal(anonymous.status, 401);
  assert.equal((await anonymous.json()).errcode, "M_MISSING_TOKEN");
});

test("matrix-js-sdk's thumbnail URL gives an image, and the media config gives the upload limit", async () => {
  const { content_uri: mxc } = await client.uploadContent(new Blob([png], { type: "image/png" }), { name: "tiny.png", type: "image/png" });
  const url = client.mxcUrlToHttp(mxc, 32, 32, "crop", false, true, true);
  assert.ok(url.includes("/_matrix/client/v1/media/thumbnail/"), url);

  const response = await fetch(url, { headers: { Authorization: `Bearer ${client.getAccessToken()}` } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "image/png");
  const bytes = new Uint8Array(await response.arrayBuffer());
  assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47]);

  const config = await client.getMediaConfig();
  assert.equal(config["m.upload.size"], 50 * 1024 * 1024);
  const authenticated = await fetch(`${server.baseUrl}/_matrix/client/v1/media/config`, { headers: { Authorization: `Bearer ${client.getAccessToken()}` } });
  assert.equal((await authenticated.json())["m.upload.size"], 50 * 1024 * 1024);
});
