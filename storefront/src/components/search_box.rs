//! The search form with type-ahead suggestions (an island): asked once typing pauses, the
//! newest answer only, arrow keys and Enter to pick, Escape to close, and "all results" at the
//! end. Without JavaScript it is a plain GET form.

use leptos::prelude::*;

use super::icon::{Icon, SEARCH};
use super::latest::Latest;
use crate::api::{Client, Suggestions, run, suggestions};
use crate::url::encode;

/// Fewest characters that ask for suggestions.
const MIN_PREFIX_CHARS: usize = 2;
/// The list's `id`, which the input points at.
const LIST_ID: &str = "search-suggestions";

/// One entry of the list: where it leads and what it says.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    href: String,
    kind: EntryKind,
}

#[derive(Debug, Clone, PartialEq)]
enum EntryKind {
    Category(String),
    Product {
        name: String,
        image: String,
        price: String,
    },
    AllResults(String),
}

/// The entries of an answer to `prefix`, "all results" last.
fn entries(prefix: &str, data: suggestions::SuggestionsSearchSuggestions) -> Vec<Entry> {
    let categories = data.categories.into_iter().map(|c| Entry {
        href: format!("/c/{}", c.slug),
        kind: EntryKind::Category(c.name),
    });
    let products = data.products.into_iter().map(|p| Entry {
        href: format!("/p/{}", p.slug),
        kind: EntryKind::Product {
            name: p.name,
            image: p.featured_image.map(|i| i.url).unwrap_or_default(),
            price: p.price_range.min.formatted,
        },
    });
    let all = Entry {
        href: format!("/hledat?q={}", encode(prefix.trim())),
        kind: EntryKind::AllResults(prefix.trim().to_owned()),
    };
    categories.chain(products).chain([all]).collect()
}

/// `initial` is the query being shown (on the search page).
#[island]
pub fn SearchBox(initial: String) -> impl IntoView {
    let shown = RwSignal::new(Vec::<Entry>::new());
    let hint = RwSignal::new(None::<String>);
    let active = RwSignal::new(None::<usize>);
    let latest = Latest::default();
    let client = StoredValue::new(Client::from_context());
    let on_input = move |ev: leptos::ev::Event| {
        let prefix = event_target_value(&ev);
        if prefix.trim().chars().count() < MIN_PREFIX_CHARS {
            latest.renew();
            shown.set(Vec::new());
            return;
        }
        latest.after_quiet(move |ticket| {
            let client = client.get_value();
            leptos::task::spawn_local(async move {
                let variables = suggestions::Variables {
                    prefix: prefix.clone(),
                };
                let result = run::<Suggestions>(&client, variables).await;
                // Answers can overtake each other: only the newest question's answer is shown.
                if let (true, Ok(data)) = (latest.is_current(ticket), result) {
                    let data = data.search_suggestions;
                    hint.set(data.corrected_query.clone());
                    shown.set(entries(&prefix, data));
                    active.set(None);
                }
            });
        });
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = shown.with(Vec::len);
        if count == 0 {
            return;
        }
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" => {
                if let Some(href) = active
                    .get_untracked()
                    .and_then(|i| shown.with(|s| s.get(i).map(|e| e.href.clone())))
                {
                    ev.prevent_default();
                    crate::components::reload_to(&href);
                }
            }
            "Escape" => {
                shown.set(Vec::new());
                active.set(None);
            }
            _ => {}
        }
    };
    let option_id = |index: usize| format!("{LIST_ID}-{index}");
    view! {
        <form class="search" action="/hledat" method="get" role="search">
            <input
                class="search__input"
                type="search"
                name="q"
                placeholder="Hledat zboží, značky, kategorie…"
                aria-label="Hledat"
                role="combobox"
                aria-autocomplete="list"
                aria-controls=LIST_ID
                aria-expanded=move || (!shown.with(Vec::is_empty)).to_string()
                aria-activedescendant=move || active.get().map(option_id)
                autocomplete="off"
                enterkeyhint="search"
                value=initial
                on:input=on_input
                on:keydown=on_keydown
            />
            <button class="search__button" type="submit" aria-label="Hledat"><Icon path=SEARCH/></button>
            <Show when=move || !shown.with(Vec::is_empty)>
                <div class="suggestions" data-testid="suggestions">
                    {move || hint.get().map(|q| view! { <p class="suggestions__hint">"Myslíte: " <strong>{q}</strong></p> })}
                    <ul id=LIST_ID role="listbox" aria-label="Návrhy">
                        {move || shown.get().into_iter().enumerate().map(|(index, entry)| view! {
                            <SuggestionItem entry id=option_id(index) active=Signal::derive(move || active.get() == Some(index))/>
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
        </form>
    }
}

#[component]
fn SuggestionItem(entry: Entry, id: String, active: Signal<bool>) -> impl IntoView {
    let (class, content) = match entry.kind {
        EntryKind::Category(name) => (
            "suggestions__category",
            view! { "Kategorie: " {name} }.into_any(),
        ),
        EntryKind::Product { name, image, price } => (
            "suggestions__product",
            view! {
                <img src=image alt="" width="40" height="40"/>
                <span>{name}</span>
                <span class="suggestions__price">{price}</span>
            }
            .into_any(),
        ),
        EntryKind::AllResults(query) => (
            "suggestions__all",
            view! { "Všechny výsledky pro „" {query} "“" }.into_any(),
        ),
    };
    view! {
        <li class=class id=id role="option" aria-selected=move || active.get().to_string() class:suggestions__item--active=move || active.get()>
            <a href=entry.href tabindex="-1">{content}</a>
        </li>
    }
}
