using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Homeserver.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class E2eeKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cross_signing_keys",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    key_type = table.Column<string>(type: "text", nullable: false),
                    public_key = table.Column<string>(type: "text", nullable: false),
                    key_json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cross_signing_keys", x => new { x.user_id, x.key_type });
                });

            migrationBuilder.CreateTable(
                name: "device_keys",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    device_id = table.Column<string>(type: "text", nullable: false),
                    key_json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_device_keys", x => new { x.user_id, x.device_id });
                });

            migrationBuilder.CreateTable(
                name: "fallback_keys",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    device_id = table.Column<string>(type: "text", nullable: false),
                    algorithm = table.Column<string>(type: "text", nullable: false),
                    key_id = table.Column<string>(type: "text", nullable: false),
                    key_json = table.Column<string>(type: "text", nullable: false),
                    used = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_fallback_keys", x => new { x.user_id, x.device_id, x.algorithm });
                });

            migrationBuilder.CreateTable(
                name: "key_backup_keys",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    room_id = table.Column<string>(type: "text", nullable: false),
                    session_id = table.Column<string>(type: "text", nullable: false),
                    first_message_index = table.Column<long>(type: "bigint", nullable: false),
                    forwarded_count = table.Column<long>(type: "bigint", nullable: false),
                    is_verified = table.Column<bool>(type: "boolean", nullable: false),
                    session_data = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_key_backup_keys", x => new { x.user_id, x.version, x.room_id, x.session_id });
                });

            migrationBuilder.CreateTable(
                name: "key_backup_versions",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false),
                    algorithm = table.Column<string>(type: "text", nullable: false),
                    auth_data = table.Column<string>(type: "text", nullable: false),
                    etag = table.Column<long>(type: "bigint", nullable: false),
                    is_deleted = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_key_backup_versions", x => new { x.user_id, x.version });
                });

            migrationBuilder.CreateTable(
                name: "key_signatures",
                columns: table => new
                {
                    target_user_id = table.Column<string>(type: "text", nullable: false),
                    target_key_id = table.Column<string>(type: "text", nullable: false),
                    signer_user_id = table.Column<string>(type: "text", nullable: false),
                    signer_key_id = table.Column<string>(type: "text", nullable: false),
                    signature = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_key_signatures", x => new { x.target_user_id, x.target_key_id, x.signer_user_id, x.signer_key_id });
                });

            migrationBuilder.CreateTable(
                name: "one_time_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    device_id = table.Column<string>(type: "text", nullable: false),
                    algorithm = table.Column<string>(type: "text", nullable: false),
                    key_id = table.Column<string>(type: "text", nullable: false),
                    key_json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_one_time_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "to_device_transactions",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    device_id = table.Column<string>(type: "text", nullable: false),
                    transaction_id = table.Column<string>(type: "text", nullable: false),
                    created_ts = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_to_device_transactions", x => new { x.user_id, x.device_id, x.transaction_id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_one_time_keys_user_id_device_id_algorithm_key_id",
                table: "one_time_keys",
                columns: new[] { "user_id", "device_id", "algorithm", "key_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cross_signing_keys");

            migrationBuilder.DropTable(
                name: "device_keys");

            migrationBuilder.DropTable(
                name: "fallback_keys");

            migrationBuilder.DropTable(
                name: "key_backup_keys");

            migrationBuilder.DropTable(
                name: "key_backup_versions");

            migrationBuilder.DropTable(
                name: "key_signatures");

            migrationBuilder.DropTable(
                name: "one_time_keys");

            migrationBuilder.DropTable(
                name: "to_device_transactions");
        }
    }
}
