// The echo bot: logs in, waits for its first sync, then answers every m.room.message whose body starts with "!"
// with an m.notice holding the rest of the body. It joins rooms it is invited to.
//
//   HOMESERVER_URL=http://localhost:8008 BOT_USER=echo BOT_PASSWORD=secret node bot.mjs
import * as sdk from "matrix-js-sdk";

const baseUrl = process.env.HOMESERVER_URL ?? "http://localhost:8008";
const user = process.env.BOT_USER;
const password = process.env.BOT_PASSWORD;
if (!user || !password) {
  console.error("Set BOT_USER and BOT_PASSWORD (and HOMESERVER_URL if the server is not on localhost:8008).");
  process.exit(2);
}

const session = await sdk.createClient({ baseUrl }).loginRequest({
  type: "m.login.password",
  identifier: { type: "m.id.user", user },
  password,
  initial_device_display_name: "echo bot",
});
const client = sdk.createClient({ baseUrl, accessToken: session.access_token, userId: session.user_id, deviceId: session.device_id });

client.on(sdk.RoomMemberEvent.Membership, (_event, member) => {
  if (member.userId === client.getUserId() && member.membership === "invite") {
    client.joinRoom(member.roomId).catch((e) => console.error(`could not join ${member.roomId}: ${e.message}`));
  }
});

client.once(sdk.ClientEvent.Sync, (state) => {
  if (state !== "PREPARED") {
    return;
  }

  // Only after the first sync, so that history from before the bot started is not answered again.
  client.on(sdk.RoomEvent.Timeline, (event, room, toStartOfTimeline) => {
    if (toStartOfTimeline || event.getType() !== "m.room.message" || event.getSender() === client.getUserId()) {
      return;
    }

    const body = event.getContent().body;
    if (typeof body === "string" && body.startsWith("!")) {
      client.sendNotice(room.roomId, body.slice(1)).catch((e) => console.error(`could not answer in ${room.roomId}: ${e.message}`));
    }
  });
  console.log(`echo bot ready as ${client.getUserId()}`);
});

await client.startClient({ initialSyncLimit: 0 });
