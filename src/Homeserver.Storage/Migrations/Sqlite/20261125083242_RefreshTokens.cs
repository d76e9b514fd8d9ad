using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Homeserver.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RefreshTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "previous_token_hash",
                table: "access_tokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "refresh_token_hash",
                table: "access_tokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_access_tokens_previous_token_hash",
                table: "access_tokens",
                column: "previous_token_hash");

            migrationBuilder.CreateIndex(
                name: "IX_access_tokens_refresh_token_hash",
                table: "access_tokens",
                column: "refresh_token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_access_tokens_previous_token_hash",
                table: "access_tokens");

            migrationBuilder.DropIndex(
                name: "IX_access_tokens_refresh_token_hash",
                table: "access_tokens");

            migrationBuilder.DropColumn(
                name: "previous_token_hash",
                table: "access_tokens");

            migrationBuilder.DropColumn(
                name: "refresh_token_hash",
                table: "access_tokens");
        }
    }
}
