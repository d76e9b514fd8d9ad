namespace Homeserver.Core.Push;

/// <summary>The kinds of push rules, in the order they are evaluated.</summary>
public static class PushRuleKinds
{
    public const string Override = "override";
    public const string Content = "content";
    public const string Room = "room";
    public const string Sender = "sender";
    public const string Underride = "underride";

    public static IReadOnlyList<string> All { get; } = [Override, Content, Room, Sender, Underride];
}
