//! The product page: gallery, variant picker, price with VAT, attributes, JSON-LD.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::NotFound;
use super::reviews::ReviewsSection;
use super::watch_form::WatchForm;
use crate::api::{Client, ProductPage as ProductQuery, Related, product_page, related, run};
use crate::app::SiteUrl;
use crate::components::{
    CardData, PageMeta, ProductGrid, Stars, add_variant, redirect_permanently, script_safe_json,
};

type Product = product_page::ProductPageProduct;

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let client = Client::from_context();
    let data = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        move |slug| {
            let client = client.clone();
            async move { run::<ProductQuery>(&client, product_page::Variables { slug }).await }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Načítám…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(product_page::ResponseData { product: Some(product), shipping_rates: rates, reviews }) => {
                        // An old slug: the product moved, permanently.
                        if params.read_untracked().get("slug").is_some_and(|slug| slug != product.slug) {
                            redirect_permanently(&format!("/p/{}", product.slug));
                        }
                        view! { <ProductDetail product rates reviews=reviews.nodes/> }.into_any()
                    }
                    Ok(_) => view! { <NotFound/> }.into_any(),
                    Err(error) if error.is_not_found() => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <p class="error">"Produkt se nepodařilo načíst."</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductDetail(
    product: Product,
    rates: product_page::ProductPageShippingRates,
    reviews: Vec<product_page::ProductPageReviewsNodes>,
) -> impl IntoView {
    let path = format!("/p/{}", product.slug);
    let json_ld = json_ld(&product, &format!("{}{path}", SiteUrl::current()));
    let images: Vec<(String, String)> = product
        .images
        .iter()
        .map(|i| (i.url.clone(), i.alt_text.clone()))
        .collect();
    let variants: Vec<VariantView> = product.variants.iter().map(VariantView::from).collect();
    let crumbs = product.breadcrumbs.breadcrumbs.clone();
    let category = crumbs.last().map(|c| c.slug.clone());
    let shipping = format!(
        "Doprava od {}, od {} zdarma",
        rates.cheapest.formatted, rates.free_from.formatted
    );
    view! {
        <PageMeta title=product.name.clone() description=product.description.clone() path/>
        <script type="application/ld+json" inner_html=json_ld></script>
        <nav class="breadcrumbs" aria-label="Drobečková navigace">
            <a href="/">"Úvod"</a>
            {crumbs
                .into_iter()
                .map(|c| view! { <span>" / "</span><a href=format!("/c/{}", c.slug)>{c.name}</a> })
                .collect_view()}
        </nav>
        <article class="product">
            <div class="product__head">
                {product.brand.map(|b| view! { <p class="product__brand">{b.name}</p> })}
                <h1>{product.name.clone()}</h1>
                {product.rating.average.map(|average| view! { <a href="#hodnoceni" class="product__rating"><Stars average count=product.rating.count/></a> })}
            </div>
            <Gallery images name=product.name.clone()/>
            <BuyBox variants ean=product.ean.clone() shipping=shipping/>
        </article>
        <section class="product__details">
            <h2>"Popis"</h2>
            {product.description.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
            <h2>"Parametry"</h2>
            <table class="attributes">
                <tbody>
                    {product
                        .attributes
                        .into_iter()
                        .map(|a| view! { <tr><th scope="row">{a.name}</th><td>{a.value}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
        </section>
        {category.map(|category| view! { <RelatedProducts category except=product.slug.clone()/> })}
        <ReviewsSection slug=product.slug.clone() rating=product.rating.clone() reviews/>
    }
}

/// "Mohlo by se vám líbit": four products in stock from the same category.
#[component]
fn RelatedProducts(category: String, except: String) -> impl IntoView {
    let client = Client::from_context();
    let data = Resource::new(
        move || category.clone(),
        move |category| {
            let client = client.clone();
            async move { run::<Related>(&client, related::Variables { category }).await }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let except = except.clone();
                Suspend::new(async move {
                    let products: Vec<CardData> = data
                        .await
                        .ok()
                        .and_then(|d| d.products)
                        .map(|page| page.nodes)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|p| p.slug != except)
                        .take(4)
                        .map(CardData::from)
                        .collect();
                    (!products.is_empty()).then(|| view! {
                        <section class="related" data-testid="related">
                            <h2>"Mohlo by se vám líbit"</h2>
                            <ProductGrid products/>
                        </section>
                    })
                })
            }}
        </Suspense>
    }
}

/// What the buy box shows of a variant (the island's props, serialised into the page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantView {
    pub(super) id: String,
    title: String,
    sku: String,
    price: String,
    was: Option<String>,
    /// "−20 %" beside the was price.
    discount: Option<String>,
    vat: String,
    quantity: i64,
    pub(super) available: bool,
    /// "Doručíme v pátek 4. 12." when in stock.
    delivery: Option<String>,
}

impl From<&product_page::ProductPageProductVariants> for VariantView {
    fn from(v: &product_page::ProductPageProductVariants) -> Self {
        Self {
            id: v.id.clone(),
            title: v.title.clone(),
            sku: v.sku.clone(),
            price: v.price.formatted.clone(),
            was: v.compare_at_price.as_ref().map(|m| m.formatted.clone()),
            discount: v
                .discount_percent
                .map(|percent| format!("\u{2212}{percent}\u{a0}%")),
            vat: format!(
                "bez DPH {} · DPH {} %",
                v.price_without_vat.formatted, v.vat_rate
            ),
            quantity: v.quantity_available,
            available: v.available_for_sale,
            delivery: v
                .delivery_date
                .as_deref()
                .and_then(crate::time::delivery_day)
                .map(|day| format!("Doručíme {day}")),
        }
    }
}

/// The main image and thumbnails that switch it (an island).
#[island]
fn Gallery(images: Vec<(String, String)>, name: String) -> impl IntoView {
    let count = images.len();
    let shown = RwSignal::new(0_usize);
    let images = StoredValue::new(images);
    let current = move |pick: fn(&(String, String)) -> String| {
        images.with_value(|i| i.get(shown.get()).map(pick).unwrap_or_default())
    };
    view! {
        <div class="product__gallery">
            <img class="product__image" src=move || current(|i| i.0.clone()) alt=move || current(|i| i.1.clone()) width="800" height="800"/>
            <ul class="product__thumbs">
                {images.get_value().into_iter().enumerate().map(|(index, (url, _))| view! {
                    <li>
                        <button
                            type="button"
                            class="thumb"
                            class:thumb--active=move || shown.get() == index
                            aria-label=format!("{name}: obrázek {} z {count}", index + 1)
                            aria-pressed=move || (shown.get() == index).to_string()
                            on:click=move |_| shown.set(index)
                        >
                            <img src=url alt="" width="80" height="80"/>
                        </button>
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// Price with VAT, the variant picker, stock and SKU (an island): choosing a variant updates
/// them in place.
#[island]
fn BuyBox(variants: Vec<VariantView>, ean: Option<String>, shipping: String) -> impl IntoView {
    let selected = RwSignal::new(variants.iter().position(|v| v.available).unwrap_or(0));
    let list = StoredValue::new(variants);
    let variant = move || list.with_value(|v| v.get(selected.get()).cloned());
    view! {
        <div class="product__buy">
            <p class="product__price">
                <span class="price price--large" data-testid="price">{move || variant().map(|v| v.price).unwrap_or_default()}</span>
                {move || variant().and_then(|v| v.discount).map(|discount| view! { <span class="badge badge--discount" data-testid="discount-badge">{discount}</span> })}
                {move || variant().and_then(|v| v.was).map(|was| view! {
                    <s class="price price--was">{was.clone()}</s>
                    <span class="price__lowest" data-testid="lowest-30-days">"Nejnižší cena za posledních 30 dní: " {was}</span>
                })}
            </p>
            <p class="product__vat">{move || variant().map(|v| v.vat).unwrap_or_default()}</p>
            {(list.with_value(Vec::len) > 1).then(|| view! {
                <div class="variants" role="group" aria-label="Varianta">
                    {list.get_value().into_iter().enumerate().map(|(index, v)| view! {
                        <button
                            type="button"
                            class="variant"
                            class:variant--selected=move || selected.get() == index
                            class:variant--unavailable=!v.available
                            aria-pressed=move || (selected.get() == index).to_string()
                            on:click=move |_| selected.set(index)
                        >
                            {v.title}
                        </button>
                    }).collect_view()}
                </div>
            })}
            <p class="product__stock" class:product__stock--out=move || variant().is_none_or(|v| !v.available) data-testid="stock">
                {move || variant().map(|v| stock_text(v.quantity)).unwrap_or_default()}
            </p>
            <p class="product__delivery" data-testid="delivery-date">{move || variant().and_then(|v| v.delivery)}</p>
            <p class="product__shipping" data-testid="shipping-price">{shipping}</p>
            <AddToCart variant=Signal::derive(variant)/>
            <BuyBar variant=Signal::derive(variant)/>
            <WatchForm variant=Signal::derive(variant)/>
            <p class="product__sku">
                "Kód: " <span data-testid="sku">{move || variant().map(|v| v.sku).unwrap_or_default()}</span>
                {ean.map(|ean| view! { " · EAN: " {ean} })}
            </p>
        </div>
    }
}

/// Quantity and "Přidat do košíku" for the chosen variant, with the outcome.
#[component]
fn AddToCart(variant: Signal<Option<VariantView>>) -> impl IntoView {
    let quantity = RwSignal::new(1_i64);
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let busy = RwSignal::new(false);
    let for_sale = move || variant.with(|v| v.as_ref().is_some_and(|v| v.available));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = variant.get_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            outcome.set(Some(add_variant(chosen.id, quantity.get_untracked()).await));
            busy.set(false);
        });
    };
    view! {
        <form class="add-to-cart" id=BUY_FORM method="post" action="/kosik/pridat" on:submit=add>
            <input type="hidden" name="variant" value=move || variant.with(|v| v.as_ref().map(|v| v.id.clone()).unwrap_or_default())/>
            <label class="add-to-cart__quantity">
                <span class="visually-hidden">"Počet kusů"</span>
                <input
                    type="number"
                    name="quantity"
                    value="1"
                    min="1"
                    max=move || variant.with(|v| v.as_ref().map_or(1, |v| v.quantity.max(1)))
                    prop:value=move || quantity.get().to_string()
                    on:input=move |ev| quantity.set(event_target_value(&ev).parse().unwrap_or(1))
                />
            </label>
            <button class="button" type="submit" data-testid="buy" disabled=move || busy.get() || !for_sale()>
                "Přidat do košíku"
            </button>
        </form>
        {move || outcome.get().map(|result| match result {
            Ok(()) => view! {
                <p class="form__success" role="status">"Přidáno do košíku. " <a href="/kosik">"Přejít do košíku"</a></p>
            }.into_any(),
            Err(message) => view! { <p class="form__error" role="alert">{message}</p> }.into_any(),
        })}
    }
}

/// The `id` of the product page's add-to-cart form, which the buy bar's button submits.
const BUY_FORM: &str = "buy-form";

/// The price and the buy button pinned to the bottom of a phone's screen while the shopper
/// reads further down; its button submits the buy box's form (also before hydration).
#[component]
fn BuyBar(variant: Signal<Option<VariantView>>) -> impl IntoView {
    let for_sale = move || variant.with(|v| v.as_ref().is_some_and(|v| v.available));
    view! {
        <div class="buy-bar" data-testid="buy-bar">
            <span class="price buy-bar__price">{move || variant.with(|v| v.as_ref().map(|v| v.price.clone()).unwrap_or_default())}</span>
            <button class="button" type="submit" form=BUY_FORM disabled=move || !for_sale()>"Do košíku"</button>
        </div>
    }
}

fn stock_text(quantity: i64) -> String {
    match quantity {
        0 => "Momentálně nedostupné".into(),
        1..=5 => format!("Skladem posledních {quantity} ks"),
        _ => "Skladem více než 5 ks".into(),
    }
}

/// Schema.org `Product` data for search engines, safe to embed in a `<script>`. Written by hand
/// rather than through `serde_json::Value`, which would add to the browser bundle.
fn json_ld(product: &Product, url: &str) -> String {
    let text = |value: &str| serde_json::to_string(value).unwrap_or_default();
    let offers: Vec<String> = product
        .variants
        .iter()
        .map(|v| {
            let availability = if v.available_for_sale { "InStock" } else { "OutOfStock" };
            format!(
                r#"{{"@type":"Offer","sku":{},"price":{},"priceCurrency":"CZK","availability":"https://schema.org/{availability}","url":{}}}"#,
                text(&v.sku),
                text(&v.price.amount),
                text(url)
            )
        })
        .collect();
    let images: Vec<String> = product.images.iter().map(|i| text(&i.url)).collect();
    let mut json = format!(
        r#"{{"@context":"https://schema.org","@type":"Product","name":{},"description":{},"image":[{}],"offers":[{}]"#,
        text(&product.name),
        text(&product.description),
        images.join(","),
        offers.join(",")
    );
    if let Some(ean) = &product.ean {
        json.push_str(&format!(r#","gtin13":{}"#, text(ean)));
    }
    if let Some(average) = product.rating.average {
        json.push_str(&format!(
            r#","aggregateRating":{{"@type":"AggregateRating","ratingValue":{average:.2},"reviewCount":{},"bestRating":5,"worstRating":1}}"#,
            product.rating.count
        ));
    }
    if let Some(brand) = &product.brand {
        json.push_str(&format!(
            r#","brand":{{"@type":"Brand","name":{}}}"#,
            text(&brand.name)
        ));
    }
    json.push('}');
    script_safe_json(&json)
}
