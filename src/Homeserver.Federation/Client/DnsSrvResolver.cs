using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Homeserver.Federation.Client;

/// <summary>
/// DNS SRV lookups (RFC 1035, RFC 2782), which .NET has no API for: one question per name to the configured name
/// servers (by default those of <c>/etc/resolv.conf</c>) over UDP, asked again over TCP when the answer comes back
/// truncated (RFC 7766); answers cached for their TTL and "no such record" for five minutes.
/// </summary>
public sealed partial class DnsSrvResolver(IReadOnlyList<IPEndPoint> nameServers, TimeProvider time, ILogger<DnsSrvResolver> logger)
{
    private const ushort SrvType = 33;
    private const ushort InternetClass = 1;
    private const int MaxAnswerBytes = 4096;
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan NegativeLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<SrvRecord> Records, DateTimeOffset Expires)> _cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The name servers of <c>/etc/resolv.conf</c> on port 53; none when it cannot be read.</summary>
    public static IReadOnlyList<IPEndPoint> SystemNameServers()
    {
        try
        {
            return [.. File.ReadLines("/etc/resolv.conf")
                .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                .Where(parts => parts is ["nameserver", _, ..] && IPAddress.TryParse(parts[1], out _))
                .Select(parts => new IPEndPoint(IPAddress.Parse(parts[1]), 53))];
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The SRV records of <paramref name="name"/> (e.g. <c>_matrix-fed._tcp.example.org</c>); empty when there are none.</summary>
    public async Task<IReadOnlyList<SrvRecord>> LookupAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(name, out var cached) && cached.Expires > now)
        {
            return cached.Records;
        }

        foreach (var nameServer in nameServers)
        {
            try
            {
                var (records, ttl) = await QueryAsync(nameServer, name, cancellationToken);
                var lifetime = records.Count == 0 ? NegativeLifetime : TimeSpan.FromSeconds(Math.Min(ttl, MaxLifetime.TotalSeconds));
                _cache[name] = (records, now + lifetime);
                return records;
            }
            catch (Exception e) when (e is SocketException or TimeoutException or InvalidDataException && !cancellationToken.IsCancellationRequested)
            {
                LogLookupFailed(name, nameServer.ToString(), e.Message);
            }
        }

        return [];
    }

    private static async Task<(IReadOnlyList<SrvRecord> Records, uint Ttl)> QueryAsync(IPEndPoint nameServer, string name, CancellationToken cancellationToken)
    {
        var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        var question = Question(id, name);
        using var socket = new Socket(nameServer.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(nameServer, cancellationToken);
        await socket.SendAsync(question, SocketFlags.None, cancellationToken);
        var buffer = new byte[MaxAnswerBytes];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(QueryTimeout);
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("the name server did not answer");
            }

            // Anything that is not the answer to this question (a late answer to another) is ignored.
            if (received >= 12 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id)
            {
                var answer = buffer.AsSpan(0, received).ToArray();
                return IsTruncated(answer) ? await QueryOverTcpAsync(nameServer, question, id, timeout.Token, cancellationToken) : Parse(answer);
            }
        }
    }

    private static bool IsTruncated(byte[] message) => (BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(2)) & 0x0200) != 0;

    /// <summary>The same question over TCP, where each message goes with its length in two bytes (RFC 1035 §4.2.2).</summary>
    private static async Task<(IReadOnlyList<SrvRecord> Records, uint Ttl)> QueryOverTcpAsync(IPEndPoint nameServer, byte[] question, ushort id,
        CancellationToken timeout, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new Socket(nameServer.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(nameServer, timeout);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var framed = new byte[2 + question.Length];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)question.Length);
            question.CopyTo(framed, 2);
            await stream.WriteAsync(framed, timeout);
            var length = new byte[2];
            await stream.ReadExactlyAsync(length, timeout);
            var answer = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
            await stream.ReadExactlyAsync(answer, timeout);
            if (answer.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(answer) != id)
            {
                throw new InvalidDataException("the name server's TCP answer is not to this question");
            }

            // Still truncated over TCP would mean more than 64 KiB of records; what arrived is used as far as it goes.
            return Parse(answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("the name server did not answer over TCP");
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the name server closed the TCP connection mid-answer");
        }
    }

    private static byte[] Question(ushort id, string name)
    {
        var message = new List<byte>(64);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // a standard query, recursion desired
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1); // one question
        message.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63)
            {
                throw new InvalidDataException($"'{name}' is not a DNS name");
            }

            message.Add((byte)bytes.Length);
            message.AddRange(bytes);
        }

        message.Add(0);
        message.AddRange([(byte)(SrvType >> 8), (byte)SrvType, (byte)(InternetClass >> 8), (byte)InternetClass]);
        return [.. message];
    }

    /// <summary>The SRV answers of a response, and the shortest of their TTLs.</summary>
    private static (IReadOnlyList<SrvRecord>, uint Ttl) Parse(byte[] message)
    {
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(2));
        var responseCode = flags & 0x000F;
        // NXDOMAIN: the name does not exist, which is an answer too.
        if (responseCode == 3)
        {
            return ([], 0);
        }

        if ((flags & 0x8000) == 0 || responseCode != 0)
        {
            throw new InvalidDataException($"the name server answered with code {responseCode}");
        }

        var questions = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4));
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6));
        var offset = 12;
        for (var i = 0; i < questions; i++)
        {
            ReadName(message, ref offset);
            offset += 4;
        }

        var records = new List<SrvRecord>();
        var ttl = uint.MaxValue;
        for (var i = 0; i < answers && offset < message.Length; i++)
        {
            ReadName(message, ref offset);
            Require(message, offset + 10);
            var type = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset));
            var recordTtl = BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(offset + 4));
            var length = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset + 8));
            offset += 10;
            Require(message, offset + length);
            if (type == SrvType && length >= 7)
            {
                var data = offset;
                var target = data + 6;
                var record = new SrvRecord(
                    BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(data)),
                    BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(data + 2)),
                    BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(data + 4)),
                    ReadName(message, ref target));
                // A target of "." says the service is not offered at this name (RFC 2782).
                if (record.Target.Length > 0)
                {
                    records.Add(record);
                }

                ttl = Math.Min(ttl, recordTtl);
            }

            offset += length;
        }

        return (records, ttl == uint.MaxValue ? 0 : ttl);
    }

    /// <summary>A name at <paramref name="offset"/>, following compression pointers; <paramref name="offset"/> moves past it.</summary>
    private static string ReadName(byte[] message, ref int offset)
    {
        var labels = new List<string>();
        var position = offset;
        var jumped = false;
        for (var jumps = 0; ; jumps++)
        {
            Require(message, position + 1);
            var length = message[position];
            if (length == 0)
            {
                position++;
                break;
            }

            if ((length & 0xC0) == 0xC0)
            {
                Require(message, position + 2);
                if (jumps > 32)
                {
                    throw new InvalidDataException("a name's compression pointers loop");
                }

                if (!jumped)
                {
                    offset = position + 2;
                    jumped = true;
                }

                position = ((length & 0x3F) << 8) | message[position + 1];
                continue;
            }

            Require(message, position + 1 + length);
            labels.Add(Encoding.ASCII.GetString(message, position + 1, length));
            position += 1 + length;
        }

        if (!jumped)
        {
            offset = position;
        }

        return string.Join('.', labels);
    }

    private static void Require(byte[] message, int end)
    {
        if (end > message.Length)
        {
            throw new InvalidDataException("the answer is cut short");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SRV lookup of {Name} at {NameServer} failed: {Reason}")]
    private partial void LogLookupFailed(string name, string nameServer, string reason);
}
