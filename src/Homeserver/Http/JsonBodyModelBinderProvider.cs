using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Homeserver.Http;

internal sealed class JsonBodyModelBinderProvider : IModelBinderProvider
{
    private static readonly JsonBodyModelBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.BindingInfo.BindingSource == BindingSource.Body ? Binder : null;
}
