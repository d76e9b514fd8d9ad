namespace Homeserver.Federation.Client;

/// <summary>One DNS SRV record (RFC 2782): where a service is offered, and how to choose between several.</summary>
public sealed record SrvRecord(int Priority, int Weight, int Port, string Target);
