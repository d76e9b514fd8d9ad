namespace Homeserver.Core.Federation;

/// <summary>How rooms are joined through other servers.</summary>
/// <param name="PartialState">
/// Whether to ask the resident server to leave the members out of the state it answers (<c>omit_members</c>): the
/// room is usable at once and its members are fetched afterwards.
/// </param>
public sealed record JoinPolicy(bool PartialState);
