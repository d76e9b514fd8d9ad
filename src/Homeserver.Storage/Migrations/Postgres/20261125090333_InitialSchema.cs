using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Homeserver.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "access_tokens",
                columns: table => new
                {
                    token_hash = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    device_id = table.Column<string>(type: "text", nullable: false),
                    created_ts = table.Column<long>(type: "bigint", nullable: false),
                    expires_ts = table.Column<long>(type: "bigint", nullable: true),
                    refresh_token_hash = table.Column<string>(type: "text", nullable: true),
                    previous_token_hash = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_access_tokens", x => x.token_hash);
                });

            migrationBuilder.CreateTable(
                name: "account_data",
                columns: table => new
                {
                    stream_position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    room_nid = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "text", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_data", x => x.stream_position);
                });

            migrationBuilder.CreateTable(
                name: "current_state",
                columns: table => new
                {
                    room_nid = table.Column<long>(type: "bigint", nullable: false),
                    state_key_nid = table.Column<long>(type: "bigint", nullable: false),
                    event_nid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_current_state", x => new { x.room_nid, x.state_key_nid });
                });

            migrationBuilder.CreateTable(
                name: "device_list_changes",
                columns: table => new
                {
                    stream_position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_list_changes", x => x.stream_position);
                });

            migrationBuilder.CreateTable(
                name: "devices",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    device_id = table.Column<string>(type: "text", nullable: false),
                    display_name = table.Column<string>(type: "text", nullable: true),
                    created_ts = table.Column<long>(type: "bigint", nullable: false),
                    last_seen_ts = table.Column<long>(type: "bigint", nullable: true),
                    last_seen_ip = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_devices", x => new { x.user_id, x.device_id });
                });

            migrationBuilder.CreateTable(
                name: "event_auth_edges",
                columns: table => new
                {
                    event_nid = table.Column<long>(type: "bigint", nullable: false),
                    auth_event_nid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_event_auth_edges", x => new { x.event_nid, x.auth_event_nid });
                });

            migrationBuilder.CreateTable(
                name: "event_edges",
                columns: table => new
                {
                    event_nid = table.Column<long>(type: "bigint", nullable: false),
                    prev_event_nid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_event_edges", x => new { x.event_nid, x.prev_event_nid });
                });

            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    event_nid = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    event_id = table.Column<string>(type: "text", nullable: false),
                    room_nid = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "text", nullable: false),
                    state_key_nid = table.Column<long>(type: "bigint", nullable: true),
                    sender = table.Column<string>(type: "text", nullable: false),
                    depth = table.Column<long>(type: "bigint", nullable: false),
                    origin_server_ts = table.Column<long>(type: "bigint", nullable: false),
                    stream_ordering = table.Column<long>(type: "bigint", nullable: true),
                    is_outlier = table.Column<bool>(type: "boolean", nullable: false),
                    is_rejected = table.Column<bool>(type: "boolean", nullable: false),
                    is_soft_failed = table.Column<bool>(type: "boolean", nullable: false),
                    redacted_by_event_nid = table.Column<long>(type: "bigint", nullable: true),
                    state_snapshot_nid_before = table.Column<long>(type: "bigint", nullable: true),
                    json = table.Column<string>(type: "text", nullable: false),
                    redacted_json = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_events", x => x.event_nid);
                });

            migrationBuilder.CreateTable(
                name: "federation_outbox",
                columns: table => new
                {
                    position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    destination = table.Column<string>(type: "text", nullable: false),
                    event_nid = table.Column<long>(type: "bigint", nullable: true),
                    edu_json = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_federation_outbox", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "filters",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    filter_id = table.Column<long>(type: "bigint", nullable: false),
                    json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_filters", x => new { x.user_id, x.filter_id });
                });

            migrationBuilder.CreateTable(
                name: "forward_extremities",
                columns: table => new
                {
                    room_nid = table.Column<long>(type: "bigint", nullable: false),
                    event_nid = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_forward_extremities", x => new { x.room_nid, x.event_nid });
                });

            migrationBuilder.CreateTable(
                name: "presence",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    stream_position = table.Column<long>(type: "bigint", nullable: false),
                    presence = table.Column<string>(type: "text", nullable: false),
                    status_message = table.Column<string>(type: "text", nullable: true),
                    last_active_ts = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_presence", x => x.user_id);
                });

            migrationBuilder.CreateTable(
                name: "profile_fields",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    key = table.Column<string>(type: "text", nullable: false),
                    value_json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_profile_fields", x => new { x.user_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "receipts",
                columns: table => new
                {
                    stream_position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    room_nid = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    receipt_type = table.Column<string>(type: "text", nullable: false),
                    thread_id = table.Column<string>(type: "text", nullable: false),
                    event_id = table.Column<string>(type: "text", nullable: false),
                    ts = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_receipts", x => x.stream_position);
                });

            migrationBuilder.CreateTable(
                name: "registration_tokens",
                columns: table => new
                {
                    token = table.Column<string>(type: "text", nullable: false),
                    uses_allowed = table.Column<int>(type: "integer", nullable: true),
                    completed = table.Column<int>(type: "integer", nullable: false),
                    expiry_ts = table.Column<long>(type: "bigint", nullable: true),
                    created_ts = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registration_tokens", x => x.token);
                });

            migrationBuilder.CreateTable(
                name: "remote_server_keys",
                columns: table => new
                {
                    server_name = table.Column<string>(type: "text", nullable: false),
                    key_id = table.Column<string>(type: "text", nullable: false),
                    public_key = table.Column<string>(type: "text", nullable: false),
                    valid_until_ts = table.Column<long>(type: "bigint", nullable: false),
                    expired_ts = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_remote_server_keys", x => new { x.server_name, x.key_id });
                });

            migrationBuilder.CreateTable(
                name: "room_memberships",
                columns: table => new
                {
                    room_nid = table.Column<long>(type: "bigint", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    membership = table.Column<string>(type: "text", nullable: false),
                    event_nid = table.Column<long>(type: "bigint", nullable: false),
                    stream_ordering = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_room_memberships", x => new { x.room_nid, x.user_id });
                });

            migrationBuilder.CreateTable(
                name: "rooms",
                columns: table => new
                {
                    room_nid = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    room_id = table.Column<string>(type: "text", nullable: false),
                    room_version = table.Column<string>(type: "text", nullable: false),
                    current_snapshot_nid = table.Column<long>(type: "bigint", nullable: true),
                    is_public = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rooms", x => x.room_nid);
                });

            migrationBuilder.CreateTable(
                name: "server_signing_keys",
                columns: table => new
                {
                    key_id = table.Column<string>(type: "text", nullable: false),
                    public_key = table.Column<string>(type: "text", nullable: false),
                    expired_ts = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_server_signing_keys", x => x.key_id);
                });

            migrationBuilder.CreateTable(
                name: "state_keys",
                columns: table => new
                {
                    state_key_nid = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    event_type = table.Column<string>(type: "text", nullable: false),
                    state_key = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_state_keys", x => x.state_key_nid);
                });

            migrationBuilder.CreateTable(
                name: "state_snapshot_entries",
                columns: table => new
                {
                    snapshot_nid = table.Column<long>(type: "bigint", nullable: false),
                    state_key_nid = table.Column<long>(type: "bigint", nullable: false),
                    event_nid = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_state_snapshot_entries", x => new { x.snapshot_nid, x.state_key_nid });
                });

            migrationBuilder.CreateTable(
                name: "state_snapshots",
                columns: table => new
                {
                    snapshot_nid = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    room_nid = table.Column<long>(type: "bigint", nullable: false),
                    parent_snapshot_nid = table.Column<long>(type: "bigint", nullable: true),
                    delta_depth = table.Column<int>(type: "integer", nullable: false),
                    state_hash = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_state_snapshots", x => x.snapshot_nid);
                });

            migrationBuilder.CreateTable(
                name: "to_device_messages",
                columns: table => new
                {
                    stream_position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    device_id = table.Column<string>(type: "text", nullable: false),
                    sender = table.Column<string>(type: "text", nullable: false),
                    type = table.Column<string>(type: "text", nullable: false),
                    content = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_to_device_messages", x => x.stream_position);
                });

            migrationBuilder.CreateTable(
                name: "transaction_ids",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    device_id = table.Column<string>(type: "text", nullable: false),
                    transaction_id = table.Column<string>(type: "text", nullable: false),
                    event_id = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transaction_ids", x => new { x.user_id, x.device_id, x.transaction_id });
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    localpart = table.Column<string>(type: "text", nullable: false),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    is_admin = table.Column<bool>(type: "boolean", nullable: false),
                    is_deactivated = table.Column<bool>(type: "boolean", nullable: false),
                    created_ts = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.user_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_access_tokens_previous_token_hash",
                table: "access_tokens",
                column: "previous_token_hash");

            migrationBuilder.CreateIndex(
                name: "IX_access_tokens_refresh_token_hash",
                table: "access_tokens",
                column: "refresh_token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_access_tokens_user_id_device_id",
                table: "access_tokens",
                columns: new[] { "user_id", "device_id" });

            migrationBuilder.CreateIndex(
                name: "IX_account_data_user_id_room_nid_type",
                table: "account_data",
                columns: new[] { "user_id", "room_nid", "type" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_device_list_changes_user_id",
                table: "device_list_changes",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_event_edges_prev_event_nid",
                table: "event_edges",
                column: "prev_event_nid");

            migrationBuilder.CreateIndex(
                name: "IX_events_event_id",
                table: "events",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_events_room_nid_depth",
                table: "events",
                columns: new[] { "room_nid", "depth" });

            migrationBuilder.CreateIndex(
                name: "IX_events_room_nid_stream_ordering",
                table: "events",
                columns: new[] { "room_nid", "stream_ordering" });

            migrationBuilder.CreateIndex(
                name: "IX_events_stream_ordering",
                table: "events",
                column: "stream_ordering",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_federation_outbox_destination_position",
                table: "federation_outbox",
                columns: new[] { "destination", "position" });

            migrationBuilder.CreateIndex(
                name: "IX_presence_stream_position",
                table: "presence",
                column: "stream_position");

            migrationBuilder.CreateIndex(
                name: "IX_receipts_room_nid_user_id_receipt_type_thread_id",
                table: "receipts",
                columns: new[] { "room_nid", "user_id", "receipt_type", "thread_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_room_memberships_user_id_membership",
                table: "room_memberships",
                columns: new[] { "user_id", "membership" });

            migrationBuilder.CreateIndex(
                name: "IX_rooms_room_id",
                table: "rooms",
                column: "room_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_state_keys_event_type_state_key",
                table: "state_keys",
                columns: new[] { "event_type", "state_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_state_snapshots_room_nid_state_hash",
                table: "state_snapshots",
                columns: new[] { "room_nid", "state_hash" });

            migrationBuilder.CreateIndex(
                name: "IX_to_device_messages_user_id_device_id_stream_position",
                table: "to_device_messages",
                columns: new[] { "user_id", "device_id", "stream_position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_tokens");

            migrationBuilder.DropTable(
                name: "account_data");

            migrationBuilder.DropTable(
                name: "current_state");

            migrationBuilder.DropTable(
                name: "device_list_changes");

            migrationBuilder.DropTable(
                name: "devices");

            migrationBuilder.DropTable(
                name: "event_auth_edges");

            migrationBuilder.DropTable(
                name: "event_edges");

            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "federation_outbox");

            migrationBuilder.DropTable(
                name: "filters");

            migrationBuilder.DropTable(
                name: "forward_extremities");

            migrationBuilder.DropTable(
                name: "presence");

            migrationBuilder.DropTable(
                name: "profile_fields");

            migrationBuilder.DropTable(
                name: "receipts");

            migrationBuilder.DropTable(
                name: "registration_tokens");

            migrationBuilder.DropTable(
                name: "remote_server_keys");

            migrationBuilder.DropTable(
                name: "room_memberships");

            migrationBuilder.DropTable(
                name: "rooms");

            migrationBuilder.DropTable(
                name: "server_signing_keys");

            migrationBuilder.DropTable(
                name: "state_keys");

            migrationBuilder.DropTable(
                name: "state_snapshot_entries");

            migrationBuilder.DropTable(
                name: "state_snapshots");

            migrationBuilder.DropTable(
                name: "to_device_messages");

            migrationBuilder.DropTable(
                name: "transaction_ids");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
