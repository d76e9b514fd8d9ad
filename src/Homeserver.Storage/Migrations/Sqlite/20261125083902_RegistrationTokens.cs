using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Homeserver.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RegistrationTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registration_tokens",
                columns: table => new
                {
                    token = table.Column<string>(type: "TEXT", nullable: false),
                    uses_allowed = table.Column<int>(type: "INTEGER", nullable: true),
                    completed = table.Column<int>(type: "INTEGER", nullable: false),
                    expiry_ts = table.Column<long>(type: "INTEGER", nullable: true),
                    created_ts = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registration_tokens", x => x.token);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registration_tokens");
        }
    }
}
