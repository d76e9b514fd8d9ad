using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Homeserver.Federation.Client;

namespace Homeserver.Tests.Infrastructure;

/// <summary>
/// A DNS server on a loopback port that answers SRV questions from <see cref="Records"/> (NXDOMAIN for other names),
/// its answers' owner names compressed as real servers do; over UDP, and over TCP on the same port number. With
/// <see cref="TruncateOverUdp"/> its UDP answers are empty and marked truncated, as for an answer too long for UDP.
/// </summary>
internal sealed class TestNameServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;
    private readonly Task _loop;
    private readonly Task _tcpLoop;
    private int _queries;
    private int _tcpQueries;

    public TestNameServer()
    {
        // The UDP port the system picks may be taken for TCP by another process: pick again until both are free.
        for (var attempt = 0; ; attempt++)
        {
            _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            _tcp = new TcpListener(IPAddress.Loopback, EndPoint.Port);
            try
            {
                _tcp.Start();
                break;
            }
            catch (SocketException) when (attempt < 20)
            {
                _udp.Dispose();
            }
        }

        _loop = Task.Run(ServeAsync);
        _tcpLoop = Task.Run(ServeTcpAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public Dictionary<string, SrvRecord[]> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool TruncateOverUdp { get; set; }

    public int Queries => Volatile.Read(ref _queries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        foreach (var loop in new[] { _loop, _tcpLoop })
        {
            try
            {
                await loop;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
            }
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
            var answer = TruncateOverUdp ? Answer(request.Buffer, questionEnd, name: null) : Answer(request.Buffer, questionEnd, name);
            await _udp.SendAsync(answer, request.RemoteEndPoint, _stop.Token);
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _tcpQueries);
            var stream = client.GetStream();
            var length = new byte[2];
            await stream.ReadExactlyAsync(length, _stop.Token);
            var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
            await stream.ReadExactlyAsync(query, _stop.Token);
            var (name, questionEnd) = ReadQuestion(query);
            var answer = Answer(query, questionEnd, name);
            var framed = new byte[2 + answer.Length];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
            answer.CopyTo(framed, 2);
            await stream.WriteAsync(framed, _stop.Token);
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

    /// <param name="name">The name asked for; null for a truncated answer, which holds no records.</param>
    private byte[] Answer(byte[] query, int questionEnd, string? name)
    {
        SrvRecord[]? records = null;
        var found = name is null || Records.TryGetValue(name, out records);
        var answer = new List<byte>(query[..questionEnd]);
        answer[2] = (byte)(name is null ? 0x83 : 0x81);
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
