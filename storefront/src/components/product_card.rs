//! Product tiles of listings.

use leptos::prelude::*;

use super::AddToCartButton;

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
    /// The biggest discount of a variant in whole percent ("−20 %").
    pub discount_percent: Option<i64>,
    pub in_stock: bool,
    /// Average stars and the number of reviews, when there are any.
    pub rating: Option<(f64, i64)>,
    /// The variant "Do košíku" adds: the only one, when it is for sale (else the product page
    /// lets the shopper choose).
    pub quick_add: Option<String>,
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
                    was: p.variants.iter().find_map(|v| v.compare_at_price.as_ref()).map(|m| m.formatted.clone()),
                    discount_percent: p.discount_percent,
                    in_stock: p.in_stock,
                    rating: p.rating.average.map(|average| (average, p.rating.count)),
                    quick_add: match p.variants.as_slice() {
                        [only] if only.available_for_sale => Some(only.id.clone()),
                        _ => None,
                    },
                }
            }
        }
    )+};
}

card_from!(
    crate::api::home::ProductCard,
    crate::api::listing::ProductCard,
    crate::api::related::ProductCard
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
                {card.discount_percent.map(|percent| view! { <span class="badge badge--discount" data-testid="discount-badge">{format!("\u{2212}{percent}\u{a0}%")}</span> })}
            </a>
            <div class="product-card__body">
                {card.brand.map(|b| view! { <p class="product-card__brand">{b}</p> })}
                <h3 class="product-card__name">
                    <a href=href.clone()>{card.name.clone()}</a>
                </h3>
                {card.rating.map(|(average, count)| view! { <super::Stars average count/> })}
                <p class="product-card__price">
                    <span class="price">{card.price}</span>
                    {card.was.map(|was| view! { <s class="price price--was">{was}</s> })}
                </p>
                <p class=if card.in_stock { "stock stock--in" } else { "stock stock--out" }>
                    {if card.in_stock { "Skladem" } else { "Momentálně nedostupné" }}
                </p>
                {match card.quick_add {
                    Some(variant_id) => view! { <AddToCartButton variant_id name=card.name.clone()/> }.into_any(),
                    None if card.in_stock => view! { <a class="button button--small button--ghost" href=href.clone()>"Vybrat variantu"</a> }.into_any(),
                    None => ().into_any(),
                }}
            </div>
        </article>
    }
}
