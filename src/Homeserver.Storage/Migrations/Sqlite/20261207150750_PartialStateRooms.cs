using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Homeserver.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PartialStateRooms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "partial_state_rooms",
                columns: table => new
                {
                    room_nid = table.Column<long>(type: "INTEGER", nullable: false),
                    join_event_id = table.Column<string>(type: "TEXT", nullable: false),
                    servers = table.Column<string>(type: "TEXT", nullable: false),
                    first_snapshot_nid = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partial_state_rooms", x => x.room_nid);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "partial_state_rooms");
        }
    }
}
