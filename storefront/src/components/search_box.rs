//! The search form with type-ahead suggestions (an island). Without JavaScript it is a plain
//! GET form.

use leptos::prelude::*;

use crate::api::{Client, Suggestions, run, suggestions};

/// Fewest characters that ask for suggestions.
const MIN_PREFIX_CHARS: usize = 2;

/// `initial` is the query being shown (on the search page).
#[island]
pub fn SearchBox(initial: String) -> impl IntoView {
    let suggestions = RwSignal::new(None::<suggestions::ResponseData>);
    let latest = StoredValue::new(0_u32);
    let on_input = move |ev: leptos::ev::Event| {
        let prefix = event_target_value(&ev);
        latest.update_value(|n| *n += 1);
        if prefix.trim().chars().count() < MIN_PREFIX_CHARS {
            suggestions.set(None);
            return;
        }
        let ticket = latest.get_value();
        let client = Client::from_context();
        leptos::task::spawn_local(async move {
            let result = run::<Suggestions>(&client, suggestions::Variables { prefix }).await;
            // Answers can overtake each other: only the newest question's answer is shown.
            if latest.get_value() == ticket {
                suggestions.set(result.ok());
            }
        });
    };
    view! {
        <form class="search" action="/hledat" method="get" role="search">
            <input
                class="search__input"
                type="search"
                name="q"
                placeholder="Hledat zboží, značky, kategorie…"
                aria-label="Hledat"
                autocomplete="off"
                value=initial
                on:input=on_input
            />
            <button class="search__button" type="submit">"Hledat"</button>
            {move || suggestions.get().map(|data| view! { <SuggestionList data=data.search_suggestions/> })}
        </form>
    }
}

#[component]
fn SuggestionList(data: suggestions::SuggestionsSearchSuggestions) -> impl IntoView {
    if data.products.is_empty() && data.categories.is_empty() {
        return view! { <div class="suggestions suggestions--empty">"Nic jsme nenašli."</div> }
            .into_any();
    }
    view! {
        <div class="suggestions" data-testid="suggestions">
            {data.corrected_query.map(|q| view! { <p class="suggestions__hint">"Myslíte: " <strong>{q}</strong></p> })}
            <ul>
                {data
                    .categories
                    .into_iter()
                    .map(|c| {
                        view! {
                            <li class="suggestions__category">
                                <a href=format!("/c/{}", c.slug)>"Kategorie: " {c.name}</a>
                            </li>
                        }
                    })
                    .collect_view()}
                {data
                    .products
                    .into_iter()
                    .map(|p| {
                        let image = p.featured_image.map(|i| i.url).unwrap_or_default();
                        view! {
                            <li class="suggestions__product">
                                <a href=format!("/p/{}", p.slug)>
                                    <img src=image alt="" width="40" height="40"/>
                                    <span>{p.name}</span>
                                    <span class="suggestions__price">{p.price_range.min.formatted}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
