using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Homeserver.Storage.Migrations.Postgres
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registration_tokens");
        }
    }
}
