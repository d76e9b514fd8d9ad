using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Homeserver.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddMedia : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "media",
                columns: table => new
                {
                    server_name = table.Column<string>(type: "TEXT", nullable: false),
                    media_id = table.Column<string>(type: "TEXT", nullable: false),
                    uploader_user_id = table.Column<string>(type: "TEXT", nullable: true),
                    created_ts = table.Column<long>(type: "INTEGER", nullable: false),
                    content_type = table.Column<string>(type: "TEXT", nullable: true),
                    upload_name = table.Column<string>(type: "TEXT", nullable: true),
                    size = table.Column<long>(type: "INTEGER", nullable: true),
                    sha256 = table.Column<string>(type: "TEXT", nullable: true),
                    uploaded_ts = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media", x => new { x.server_name, x.media_id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_media_sha256",
                table: "media",
                column: "sha256");

            migrationBuilder.CreateIndex(
                name: "IX_media_uploader_user_id_created_ts",
                table: "media",
                columns: new[] { "uploader_user_id", "created_ts" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "media");
        }
    }
}
