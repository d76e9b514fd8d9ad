using Homeserver.Core.Json;
using System.Text.Json;
using Homeserver.Core.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Homeserver.Http;

/// <summary>
/// Binds <c>[FromBody]</c> parameters in two steps, so that a body that is not JSON at all (<c>M_NOT_JSON</c>) is told
/// apart from JSON of the wrong shape (<c>M_BAD_JSON</c>), as the spec's error codes require.
/// </summary>
internal sealed class JsonBodyModelBinder : IModelBinder
{
    public async Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var request = bindingContext.HttpContext.Request;
        var cancellationToken = bindingContext.HttpContext.RequestAborted;
        var canHaveBody = bindingContext.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
        if (!canHaveBody && !bindingContext.ModelMetadata.IsRequired)
        {
            // An optional body (e.g. the first DELETE of a device, before user-interactive auth) may be left out.
            bindingContext.Result = ModelBindingResult.Success(null);
            return;
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException) when (request.ContentLength == 0 || request.Body.CanSeek && request.Body.Length == 0)
        {
            throw MatrixException.NotJson("The request body is empty");
        }
        catch (JsonException)
        {
            throw MatrixException.NotJson("The request body is not valid JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw MatrixException.BadJson("The request body must be a JSON object");
            }

            object? model;
            try
            {
                model = document.RootElement.Deserialize(bindingContext.ModelType, MatrixJson.Options);
            }
            catch (JsonException e)
            {
                throw MatrixException.BadJson(DescribeShapeError(e));
            }

            bindingContext.Result = ModelBindingResult.Success(model);
        }
    }

    private static string DescribeShapeError(JsonException e) =>
        e.Path is { Length: > 1 } path ? $"Invalid value at {path}" : "The request body does not have the expected fields";
}
