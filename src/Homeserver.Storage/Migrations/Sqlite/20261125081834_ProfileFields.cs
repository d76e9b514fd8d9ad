using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Homeserver.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProfileFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "profile_fields",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    value_json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_profile_fields", x => new { x.user_id, x.key });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "profile_fields");
        }
    }
}
