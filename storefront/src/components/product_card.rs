//! Product tiles of listings.

use leptos::prelude::*;

/// What a product tile shows.
#[derive(Debug, Clone, PartialEq)]
pub struct CardData {
    pub slug: String,
    pub name: String,
    pub brand: Option<String>,
    pub image_url: Option<String>,
    pub image_alt: String,
    /// `1 299 Kč`, or `od 1 299 Kč` when variants differ in price.
    pub price: String,
    /// The "was" price of a discounted variant.
    pub was: Option<String>,
    pub in_stock: bool,
}

/// Implements `From<fragment>` for [`CardData`] for each operation's copy of the `ProductCard`
/// fragment (the generated types differ per operation, their fields do not).
macro_rules! card_from {
    ($($fragment:path),+) => {$(
        impl From<$fragment> for CardData {
            fn from(p: $fragment) -> Self {
                let range = p.price_range;
                let price = if range.min.formatted == range.max.formatted {
                    range.min.formatted
                } else {
                    format!("od {}", range.min.formatted)
                };
                Self {
                    slug: p.slug,
                    name: p.name,
                    brand: p.brand.map(|b| b.name),
                    image_url: p.featured_image.as_ref().map(|i| i.url.clone()),
                    image_alt: p.featured_image.map(|i| i.alt_text).unwrap_or_default(),
                    price,
                    was: p.variants.into_iter().find_map(|v| v.compare_at_price).map(|m| m.formatted),
                    in_stock: p.in_stock,
                }
            }
        }
    )+};
}

card_from!(
    crate::api::home::ProductCard,
    crate::api::listing::ProductCard
);

/// A responsive grid of product tiles.
#[component]
pub fn ProductGrid(products: Vec<CardData>) -> impl IntoView {
    view! {
        <ul class="product-grid">
            {products.into_iter().map(|card| view! { <li><ProductCard card/></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn ProductCard(card: CardData) -> impl IntoView {
    let href = format!("/p/{}", card.slug);
    view! {
        <article class="product-card">
            <a href=href.clone() class="product-card__image">
                <img src=card.image_url.unwrap_or_default() alt=card.image_alt loading="lazy" width="400" height="400"/>
            </a>
            <div class="product-card__body">
                {card.brand.map(|b| view! { <p class="product-card__brand">{b}</p> })}
                <h3 class="product-card__name">
                    <a href=href>{card.name}</a>
                </h3>
                <p class="product-card__price">
                    <span class="price">{card.price}</span>
                    {card.was.map(|was| view! { <s class="price price--was">{was}</s> })}
                </p>
                <p class=if card.in_stock { "stock stock--in" } else { "stock stock--out" }>
                    {if card.in_stock { "Skladem" } else { "Momentálně nedostupné" }}
                </p>
            </div>
        </article>
    }
}
