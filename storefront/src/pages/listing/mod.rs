//! Category pages and search results: one listing with facets, sorting and paging in the URL.

mod facets;
mod params;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::NotFound;
use crate::api::{Client, Listing, PopularCategories, listing, popular_categories, run};
use crate::components::{CardData, PageMeta, ProductGrid, set_status};
use crate::url::query_string;
use facets::Facets;
use params::{ListingParams, PAGE_KEY, SORTS};

/// What a listing lists.
#[derive(Debug, Clone, PartialEq)]
enum Source {
    Category(String),
    Search(String),
}

impl Source {
    fn path(&self) -> String {
        match self {
            Self::Category(slug) => format!("/c/{slug}"),
            Self::Search(_) => "/hledat".into(),
        }
    }

    /// Query pairs that identify the listing itself (the search text).
    fn own_pairs(&self) -> Vec<(String, String)> {
        match self {
            Self::Category(_) => Vec::new(),
            Self::Search(q) => vec![("q".into(), q.clone())],
        }
    }
}

/// `/c/:slug`
#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    view! { <ListingPage source=Signal::derive(move || Source::Category(params.read().get("slug").unwrap_or_default()))/> }
}

/// `/hledat?q=…`
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    view! { <ListingPage source=Signal::derive(move || Source::Search(query.read().get("q").unwrap_or_default()))/> }
}

#[component]
fn ListingPage(source: Signal<Source>) -> impl IntoView {
    let query = use_query_map();
    let client = Client::from_context();
    let data = Resource::new(
        move || (source.get(), ListingParams::from_query(&query.read())),
        move |(source, params)| {
            let client = client.clone();
            async move {
                let variables = match &source {
                    Source::Category(slug) => params.variables(Some(slug.clone()), None),
                    Source::Search(q) if q.trim().is_empty() => return Ok(None),
                    Source::Search(q) => params.variables(None, Some(q.clone())),
                };
                run::<Listing>(&client, variables).await.map(Some)
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Načítám…"</p> }>
            {move || Suspend::new(async move {
                let source = source.get_untracked();
                let params = ListingParams::from_query(&query.read_untracked());
                match data.await {
                    Ok(Some(data)) => view! { <ListingView source params data/> }.into_any(),
                    Ok(None) => view! { <EmptySearch/> }.into_any(),
                    Err(error) if error.is_not_found() => view! { <NotFound/> }.into_any(),
                    Err(error) if error.code == "BAD_USER_INPUT" => view! { <BadLink path=source.path()/> }.into_any(),
                    Err(_) => view! { <p class="error">"Zboží se nepodařilo načíst. Zkuste to prosím znovu."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A listing address the catalog refused (a cursor from nowhere, a filter that cannot be met):
/// answered `400` with a way back.
#[component]
fn BadLink(path: String) -> impl IntoView {
    set_status(400);
    view! {
        <PageMeta title="Neplatný odkaz".into() description="Odkaz na výpis zboží je neplatný.".into() path=path.clone()/>
        <section class="not-found">
            <h1>"Tomuto odkazu nerozumíme"</h1>
            <p>"Některý z filtrů nebo číslo stránky v odkazu je neplatné. Zkuste výpis bez filtrů."</p>
            <a class="button" href=path>"Zobrazit celý výpis"</a>
        </section>
    }
}

#[component]
fn EmptySearch() -> impl IntoView {
    view! {
        <PageMeta title="Vyhledávání".into() description="Hledejte v celé nabídce obchodu.".into() path="/hledat".into()/>
        <h1>"Vyhledávání"</h1>
        <p>"Napište do vyhledávání, co sháníte."</p>
    }
}

#[component]
fn ListingView(
    source: Source,
    params: ListingParams,
    data: listing::ResponseData,
) -> impl IntoView {
    let page = match (data.products, data.search) {
        (Some(page), _) | (None, Some(page)) => page,
        (None, None) => return view! { <NotFound/> }.into_any(),
    };
    let (title, description, heading) = match (&source, &data.category) {
        (Source::Category(_), Some(c)) => (c.name.clone(), c.description.clone(), c.name.clone()),
        (Source::Search(q), _) => (
            format!("Hledání „{q}“"),
            format!("Výsledky hledání „{q}“."),
            format!("Výsledky pro „{q}“"),
        ),
        (Source::Category(_), None) => return view! { <NotFound/> }.into_any(),
    };
    let path = source.path();
    let products: Vec<CardData> = page.nodes.into_iter().map(CardData::from).collect();
    let mut base = source.own_pairs();
    base.extend(params.filter_pairs());
    let mut canonical = source.own_pairs();
    let title = match params.page_number {
        1 => title,
        n => {
            canonical.extend(params.page_pairs());
            format!("{title} – strana {n}")
        }
    };
    let empty_note = if params.active_filters() > 0 {
        "Tomuto výběru nic neodpovídá. Zkuste ubrat filtry."
    } else {
        "Zatím tu nic nenabízíme."
    };
    view! {
        <PageMeta title description path=format!("{path}{}", query_string(&canonical))/>
        {(!params.notes.is_empty()).then(|| view! {
            <ul class="listing__notes" role="status" data-testid="listing-notes">
                {params.notes.iter().map(|note| view! { <li>{note.clone()}</li> }).collect_view()}
            </ul>
        })}
        {data.category.as_ref().map(|c| view! { <Breadcrumbs crumbs=c.breadcrumbs.clone()/> })}
        <h1 class="listing__title">{heading}</h1>
        {page.corrected_query.map(|q| view! { <p class="listing__corrected">"Zobrazujeme výsledky pro " <strong>{q}</strong></p> })}
        {data.category.map(|c| view! {
            <ul class="subcategories">
                {c.children.into_iter().map(|child| view! { <li><a href=format!("/c/{}", child.slug)>{child.name}</a></li> }).collect_view()}
            </ul>
        })}
        <div class="listing">
            <Facets path=path.clone() source_pairs=source.own_pairs() params=params.clone() facets=page.facets/>
            <section class="listing__results">
                <div class="listing__toolbar">
                    <p class="listing__count" data-testid="count">{crate::czech::count(page.total_count, crate::czech::PRODUCTS)}</p>
                    <SortLinks path=path.clone() base=base.clone() current=params.sort.clone()/>
                </div>
                {if products.is_empty() && matches!(source, Source::Search(_)) && params.active_filters() == 0 {
                    view! { <NothingFound/> }.into_any()
                } else if products.is_empty() {
                    view! { <p class="listing__empty">{empty_note}</p> }.into_any()
                } else {
                    view! { <ProductGrid products/> }.into_any()
                }}
                <Pager path base sort=params.sort.clone() page=params.page_number info=page.page_info/>
            </section>
        </div>
    }
    .into_any()
}

/// A search without results: how to search better, where to browse, whom to ask.
#[component]
fn NothingFound() -> impl IntoView {
    let client = Client::from_context();
    let categories = Resource::new(
        || (),
        move |()| {
            let client = client.clone();
            async move { run::<PopularCategories>(&client, popular_categories::Variables {}).await }
        },
    );
    view! {
        <div class="nothing-found" data-testid="nothing-found">
            <p>"Tohle jsme nenašli. Zkontrolujte překlepy, zkuste obecnější slovo (např. „mixér“ místo typového označení) nebo jen značku."</p>
            <h2>"Oblíbené kategorie"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = categories.await.map(|data| data.categories).unwrap_or_default();
                    view! {
                        <ul class="subcategories">
                            {list.into_iter().map(|c| view! { <li><a href=format!("/c/{}", c.slug)>{c.name}</a></li> }).collect_view()}
                        </ul>
                    }
                })}
            </Suspense>
            <p>"Nevíte si rady? Zeptejte se " <a href="#asistent">"našeho asistenta"</a> " – poradí i s nejasným zadáním."</p>
        </div>
    }
}

#[component]
fn Breadcrumbs(crumbs: Vec<listing::ListingCategoryBreadcrumbs>) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Drobečková navigace">
            <a href="/">"Úvod"</a>
            {crumbs.into_iter().map(|c| view! { <span>" / "</span><a href=format!("/c/{}", c.slug)>{c.name}</a> }).collect_view()}
        </nav>
    }
}

/// Links to each sort order, keeping the filters and going back to the first page.
#[component]
fn SortLinks(path: String, base: Vec<(String, String)>, current: String) -> impl IntoView {
    view! {
        <nav class="sort" aria-label="Řazení">
            {SORTS
                .iter()
                .map(|(key, label)| {
                    let mut pairs = base.clone();
                    if !key.is_empty() {
                        pairs.push(("razeni".into(), (*key).into()));
                    }
                    let href = format!("{path}{}", query_string(&pairs));
                    let active = current == *key;
                    view! { <a href=href class:sort--active=active aria-current=active.then_some("true")>{*label}</a> }
                })
                .collect_view()}
        </nav>
    }
}

/// Previous / next page links with the Relay cursors.
#[component]
fn Pager(
    path: String,
    base: Vec<(String, String)>,
    sort: String,
    page: u32,
    info: listing::ListingPagePageInfo,
) -> impl IntoView {
    let link = move |key: &str, cursor: Option<String>, number: u32| {
        let mut pairs = base.clone();
        if !sort.is_empty() {
            pairs.push(("razeni".into(), sort.clone()));
        }
        // Back on the first page the address is the listing's own, without a cursor.
        if number > 1 {
            pairs.extend(cursor.map(|c| (key.to_owned(), c)));
            pairs.push((PAGE_KEY.into(), number.to_string()));
        }
        format!("{path}{}", query_string(&pairs))
    };
    let previous = info.has_previous_page.then(|| {
        link(
            "pred",
            info.start_cursor.clone(),
            page.saturating_sub(1).max(1),
        )
    });
    let next = info
        .has_next_page
        .then(|| link("po", info.end_cursor.clone(), page + 1));
    view! {
        <nav class="pager" aria-label="Stránkování">
            {previous.map(|href| view! { <a class="button button--ghost" rel="prev" href=href>"← Předchozí"</a> })}
            {next.map(|href| view! { <a class="button" rel="next" href=href>"Další →"</a> })}
        </nav>
    }
}
