using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Homeserver.Federation.Client;

namespace Homeserver.Tests.Infrastructure;

/// <summary>
/// A DNS server on a loopback UDP port that answers SRV questions from <see cref="Records"/> (NXDOMAIN for other
/// names), its answers' owner names compressed as real servers do.
/// </summary>
internal sealed class TestNameServer : IAsyncDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _queries;

    public TestNameServer() => _loop = Task.Run(ServeAsync);

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public Dictionary<string, SrvRecord[]> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int Queries => Volatile.Read(ref _queries);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var request = await _udp.ReceiveAsync(_stop.Token);
            Interlocked.Increment(ref _queries);
            var (name, questionEnd) = ReadQuestion(request.Buffer);
            await _udp.SendAsync(Answer(request.Buffer, questionEnd, name), request.RemoteEndPoint, _stop.Token);
        }
    }

    private static (string Name, int End) ReadQuestion(byte[] query)
    {
        var labels = new List<string>();
        var offset = 12;
        while (query[offset] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, offset + 1, query[offset]));
            offset += 1 + query[offset];
        }

        return (string.Join('.', labels), offset + 1 + 4);
    }

    private byte[] Answer(byte[] query, int questionEnd, string name)
    {
        var found = Records.TryGetValue(name, out var records);
        var answer = new List<byte>(query[..questionEnd]);
        answer[2] = 0x81;
        answer[3] = (byte)(found ? 0x80 : 0x83);
        answer[6] = 0;
        answer[7] = (byte)(records?.Length ?? 0);
        foreach (var record in records ?? [])
        {
            var target = new List<byte>();
            foreach (var label in record.Target.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                target.Add((byte)label.Length);
                target.AddRange(Encoding.ASCII.GetBytes(label));
            }

            target.Add(0);
            var fixedPart = new byte[16];
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart, 0xC00C); // the owner name: a pointer to the question's
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), 33);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(4), 1);
            BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(6), 300);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(10), (ushort)(6 + target.Count));
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(12), (ushort)record.Priority);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(14), (ushort)record.Weight);
            answer.AddRange(fixedPart);
            answer.Add((byte)(record.Port >> 8));
            answer.Add((byte)record.Port);
            answer.AddRange(target);
        }

        return [.. answer];
    }
}
