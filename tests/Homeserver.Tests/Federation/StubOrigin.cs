namespace Homeserver.Tests.Federation;

/// <summary>A remote server that answers whatever the test scripts, behind the real federation client: for hostile answers.</summary>
internal sealed class StubOrigin(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    private readonly List<string> _paths = [];

    /// <summary>The paths and queries asked, in order.</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_paths)
            {
                return [.. _paths];
            }
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_paths)
        {
            _paths.Add(request.RequestUri!.PathAndQuery);
        }

        var response = answer(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}
