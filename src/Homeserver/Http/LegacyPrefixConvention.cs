using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace Homeserver.Http;

/// <summary>
/// Serves every <c>/_matrix/client/v3/…</c> route also under <c>/_matrix/client/r0/…</c> and every
/// <c>/_matrix/media/v3/…</c> route under <c>/_matrix/media/r0/…</c>, for the clients and bridges that still call
/// the pre-v1.1 prefixes. Declared once here instead of on each controller.
/// </summary>
internal sealed class LegacyPrefixConvention : IApplicationModelConvention
{
    private static readonly (string Stable, string Legacy)[] Aliases =
    [
        ("_matrix/client/v3/", "_matrix/client/r0/"),
        ("_matrix/media/v3/", "_matrix/media/r0/"),
    ];

    /// <summary>The <c>r0</c> form of a <c>v3</c> route template, or null when the template has none.</summary>
    public static string? LegacyAlias(string template)
    {
        foreach (var (stable, legacy) in Aliases)
        {
            if (template.StartsWith(stable, StringComparison.Ordinal))
            {
                return string.Concat(legacy, template.AsSpan(stable.Length));
            }
        }

        return null;
    }

    public void Apply(ApplicationModel application)
    {
        foreach (var action in application.Controllers.SelectMany(c => c.Actions))
        {
            foreach (var selector in action.Selectors.ToList())
            {
                if (selector.AttributeRouteModel?.Template is { } template && LegacyAlias(template) is { } legacy)
                {
                    action.Selectors.Add(new SelectorModel(selector)
                    {
                        AttributeRouteModel = new AttributeRouteModel(selector.AttributeRouteModel) { Template = legacy, Name = null },
                    });
                }
            }
        }
    }
}
