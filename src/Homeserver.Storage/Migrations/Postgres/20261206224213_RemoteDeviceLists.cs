using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Homeserver.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RemoteDeviceLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "remote_device_lists",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "text", nullable: false),
                    stream_id = table.Column<long>(type: "bigint", nullable: false),
                    is_stale = table.Column<bool>(type: "boolean", nullable: false),
                    devices_json = table.Column<string>(type: "text", nullable: false),
                    master_key_json = table.Column<string>(type: "text", nullable: true),
                    self_signing_key_json = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_remote_device_lists", x => x.user_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_room_memberships_room_nid_stream_ordering",
                table: "room_memberships",
                columns: new[] { "room_nid", "stream_ordering" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "remote_device_lists");

            migrationBuilder.DropIndex(
                name: "IX_room_memberships_room_nid_stream_ordering",
                table: "room_memberships");
        }
    }
}
