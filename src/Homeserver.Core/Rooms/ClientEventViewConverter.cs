using System.Text.Json;
using System.Text.Json.Serialization;
using Homeserver.Protocol.Events;

namespace Homeserver.Core.Rooms;

/// <summary>
/// Writes a <see cref="ClientEventView"/> straight from the shared form, so that the hundred members a message
/// wakes do not each build a tree of nodes for it. Only ever written: events come in through the room engine.
/// </summary>
public sealed class ClientEventViewConverter : JsonConverter<ClientEventView>
{
    public override ClientEventView Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Client events are written, never read");

    public override void Write(Utf8JsonWriter writer, ClientEventView value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var property in value.Client.EnumerateObject())
        {
            property.WriteTo(writer);
        }

        if (value.RoomId is not null)
        {
            writer.WriteString("room_id", value.RoomId);
        }

        writer.WriteStartObject("unsigned");
        writer.WriteNumber("age", value.AgeMs);
        if (value.RedactedBy is not null)
        {
            writer.WriteStartObject("redacted_because");
            writer.WriteString("event_id", value.RedactedBy);
            writer.WriteString("type", EventTypes.Redaction);
            writer.WriteEndObject();
        }

        if (value.TransactionId is not null)
        {
            writer.WriteString("transaction_id", value.TransactionId);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
