//! The home page: featured categories and products.

use leptos::prelude::*;

use crate::api::{Client, Home, home, run};
use crate::components::{CardData, PageMeta, ProductGrid};

#[component]
pub fn HomePage() -> impl IntoView {
    let client = Client::from_context();
    let data = Resource::new(
        || (),
        move |()| {
            let client = client.clone();
            async move { run::<Home>(&client, home::Variables {}).await }
        },
    );
    view! {
        <PageMeta
            title="Obchod pro celý domov".into()
            description="Nábytek, elektro, sport, nářadí, potraviny a knihy za férové ceny. Doprava zdarma od 1 500 Kč.".into()
            path="/".into()
        />
        <section class="hero">
            <h1>"Všechno pro domov na jednom místě"</h1>
            <p>"Nábytek, elektro, sport, nářadí, potraviny i knihy. Doprava zdarma od 1 500 Kč."</p>
        </section>
        <Suspense fallback=|| view! { <p class="loading">"Načítám…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        let products: Vec<CardData> = data.products.map(|p| p.nodes).unwrap_or_default().into_iter().map(CardData::from).collect();
                        view! {
                            <section class="featured-categories">
                                <h2>"Oblíbené kategorie"</h2>
                                <ul class="category-tiles">
                                    {data
                                        .featured_categories
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <li>
                                                    <a class="category-tile" href=format!("/c/{}", c.slug)>
                                                        <strong>{c.name}</strong>
                                                        <span>{c.description}</span>
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                            <section class="featured-products">
                                <h2>"Doporučujeme"</h2>
                                <ProductGrid products/>
                            </section>
                        }
                            .into_any()
                    }
                    Err(_) => view! { <p class="error">"Nabídku se nepodařilo načíst. Zkuste to prosím znovu."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
