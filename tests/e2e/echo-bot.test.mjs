// The echo bot sample (samples/echo-bot) answers a message sent by another user.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as sdk from "matrix-js-sdk";
import { startHomeserver } from "./lib/homeserver.mjs";

const bot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../samples/echo-bot/bot.mjs");
let server;
let botProcess;
let alice;
before(async () => {
  server = await startHomeserver({ name: "echobot" });
  server.cli(["register-user", "echo"], "echo's password\n");
  server.cli(["register-user", "alice"], "alice's password\n");
});
after(async () => {
  alice?.stopClient();
  botProcess?.kill();
  await server?.stop();
});

test("the echo bot answers '!ping' with an m.notice 'ping'", async () => {
  botProcess = spawn("node", [bot], {
    env: { ...process.env, HOMESERVER_URL: server.baseUrl, BOT_USER: "echo", BOT_PASSWORD: "echo's password" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes("echo bot ready")) {
        clearTimeout(timer);
        resolve();
      }
    };
    botProcess.stdout.on("data", onData);
    botProcess.stderr.on("data", onData);
    botProcess.on("exit", (code) => reject(new Error(`the bot exited with ${code}:\n${output}`)));
  });

  const session = await sdk.createClient({ baseUrl: server.baseUrl }).loginRequest({
    type: "m.login.password",
    identifier: { type: "m.id.user", user: "alice" },
    password: "alice's password",
  });
  alice = sdk.createClient({ baseUrl: server.baseUrl, accessToken: session.access_token, userId: session.user_id, deviceId: session.device_id });
  const prepared = new Promise((resolve) => alice.on(sdk.ClientEvent.Sync, (state) => state === "PREPARED" && resolve()));
  await alice.startClient({ initialSyncLimit: 0 });
  await prepared;

  const botJoined = new Promise((resolve) => alice.on(sdk.RoomMemberEvent.Membership, (_e, m) => m.userId === "@echo:localhost" && m.membership === "join" && resolve()));
  const { room_id: roomId } = await alice.createRoom({ invite: ["@echo:localhost"] });
  await botJoined;

  const answer = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the bot did not answer")), 15_000);
    alice.on(sdk.RoomEvent.Timeline, (event) => {
      if (event.getSender() === "@echo:localhost" && event.getType() === "m.room.message") {
        clearTimeout(timer);
        resolve(event);
      }
    });
  });
  await alice.sendTextMessage(roomId, "!ping");
  const reply = await answer;

  assert.equal(reply.getRoomId(), roomId);
  assert.equal(reply.getContent().msgtype, "m.notice");
  assert.equal(reply.getContent().body, "ping");
});
