using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Homeserver.Http;

/// <summary>
/// MVC turns empty and whitespace strings into null by default, so that a path like <c>/account_data/%20</c> would
/// hand a null to code that declares a string. Matrix identifiers and types are taken exactly as sent; the use case
/// decides whether they are valid.
/// </summary>
internal sealed class KeepStringsAsSentMetadataProvider : IDisplayMetadataProvider
{
    public void CreateDisplayMetadata(DisplayMetadataProviderContext context) =>
        context.DisplayMetadata.ConvertEmptyStringToNull = false;
}
