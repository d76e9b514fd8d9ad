using System.Text.Json.Nodes;
using Homeserver.Core.Federation;
using Microsoft.AspNetCore.Mvc;

namespace Homeserver.Federation.Transactions;

/// <summary>Inbound transactions (server-server API, <c>PUT /_matrix/federation/v1/send/{txnId}</c>).</summary>
public sealed class TransactionsController(TransactionReceiver receiver) : FederationApiController
{
    [HttpPut("_matrix/federation/v1/send/{txnId}")]
    public Task<JsonObject> SendAsync(string txnId, [FromBody] JsonObject transaction, CancellationToken cancellationToken) =>
        receiver.ReceiveAsync(Origin, transaction, cancellationToken);
}
