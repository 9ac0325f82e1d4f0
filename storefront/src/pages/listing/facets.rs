//! The filter sidebar: a GET form that works without JavaScript; once hydrated (an island) it
//! applies itself on every change.

use leptos::prelude::*;

use super::params::ListingParams;
use crate::api::listing::{AttributeKind, ListingPageFacets};
use crate::components::{FILTER, Icon};

#[component]
pub fn Facets(
    path: String,
    source_pairs: Vec<(String, String)>,
    params: ListingParams,
    facets: ListingPageFacets,
) -> impl IntoView {
    let price_hint = facets
        .price_range
        .map(|r| (r.min.minor_units / 100, (r.max.minor_units + 99) / 100));
    let active = params.active_filters();
    let label = match active {
        0 => "Filtry".to_owned(),
        n => format!("Filtry ({n})"),
    };
    view! {
        // A disclosure: a drawer over the page on a phone, always open beside the list on a wide
        // screen (the stylesheet shows its content and hides the summary there).
        <details class="filters" data-testid="filters">
            <summary class="filters__toggle button button--ghost"><Icon path=FILTER/> {label}</summary>
            <aside class="facets">
            <FilterForm action=path>
                {source_pairs.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
                {(!params.sort.is_empty()).then(|| view! { <input type="hidden" name="razeni" value=params.sort.clone()/> })}
                <fieldset class="facet">
                    <legend>"Dostupnost"</legend>
                    <label class="facet__option">
                        <input type="checkbox" name="skladem" value="1" checked=params.in_stock/>
                        "Jen skladem"
                    </label>
                </fieldset>
                <fieldset class="facet">
                    <legend>"Cena (Kč)"</legend>
                    <div class="facet__range">
                        <input type="number" name="cena_od" min="0" inputmode="numeric" aria-label="Cena od"
                            placeholder=price_hint.map(|(min, _)| min.to_string())
                            value=params.price_from.map(|v| v.to_string())/>
                        <span>"–"</span>
                        <input type="number" name="cena_do" min="0" inputmode="numeric" aria-label="Cena do"
                            placeholder=price_hint.map(|(_, max)| max.to_string())
                            value=params.price_to.map(|v| v.to_string())/>
                    </div>
                </fieldset>
                {(!facets.brands.is_empty()).then(|| view! {
                    <fieldset class="facet">
                        <legend>"Značka"</legend>
                        {facets.brands.into_iter().map(|b| {
                            let checked = params.brands.contains(&b.brand.slug);
                            view! {
                                <label class="facet__option">
                                    <input type="checkbox" name="znacka" value=b.brand.slug checked=checked/>
                                    {b.brand.name} <span class="facet__count">{b.count}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                {facets.attributes.into_iter().map(|a| match a.kind {
                    AttributeKind::NUMBER => {
                        let (from, to) = params.range(&a.slug);
                        let unit = a.unit.map(|u| format!(" ({u})")).unwrap_or_default();
                        let (label_from, label_to) = (format!("{} od", a.name), format!("{} do", a.name));
                        view! {
                            <fieldset class="facet">
                                <legend>{a.name}{unit}</legend>
                                <div class="facet__range">
                                    <input type="number" step="any" name=ListingParams::range_name(&a.slug, "od") aria-label=label_from
                                        placeholder=a.min.map(|v| v.to_string()) value=from.map(|v| v.to_string())/>
                                    <span>"–"</span>
                                    <input type="number" step="any" name=ListingParams::range_name(&a.slug, "do") aria-label=label_to
                                        placeholder=a.max.map(|v| v.to_string()) value=to.map(|v| v.to_string())/>
                                </div>
                            </fieldset>
                        }.into_any()
                    }
                    _ => view! {
                        <fieldset class="facet">
                            <legend>{a.name.clone()}</legend>
                            {a.values.into_iter().map(|v| {
                                let checked = params.has_value(&a.slug, &v.slug);
                                view! {
                                    <label class="facet__option">
                                        <input type="checkbox" name=ListingParams::value_name(&a.slug) value=v.slug checked=checked/>
                                        {v.name} <span class="facet__count">{v.count}</span>
                                    </label>
                                }
                            }).collect_view()}
                        </fieldset>
                    }.into_any(),
                }).collect_view()}
                <button class="button facets__apply" type="submit">"Použít filtry"</button>
            </FilterForm>
            </aside>
        </details>
    }
}

/// The filter form: submitted by its button (or Enter) without JavaScript; with it, a ticked
/// or unticked box applies at once. Typed bounds wait for the button or Enter, so leaving "od"
/// for "do" does not reload the page under the shopper's fingers.
#[island]
fn FilterForm(action: String, children: Children) -> impl IntoView {
    let apply = move |_event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = _event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
                .filter(|input| input.type_() == "checkbox")
            else {
                return;
            };
            let form = input.form();
            let query = form
                .and_then(|form| web_sys::FormData::new_with_form(&form).ok())
                .and_then(|data| {
                    web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()
                })
                .map(|params| String::from(params.to_string()));
            if let (Some(query), Some(window)) = (query, web_sys::window()) {
                let _ = window.location().assign(&format!(
                    "{}?{query}",
                    window.location().pathname().unwrap_or_default()
                ));
            }
        }
    };
    view! {
        <form action=action method="get" on:change=apply>
            {children()}
        </form>
    }
}
