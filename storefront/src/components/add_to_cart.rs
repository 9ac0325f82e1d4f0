//! Adding to the cart from any page, and the header's mini-cart that shows the result.

use leptos::prelude::*;

use super::icon::{CART, Icon};
use crate::api::{AddToCart, Client, MiniCartTotals, add_to_cart, mini_cart_totals, run};
use crate::components::NETWORK_ERROR;

/// Adds `quantity` of a variant to the visitor's cart (the server creates the cart and its
/// cookie on the first add), then updates the mini-cart. Returns the refusal to show, if any.
pub async fn add_variant(variant_id: String, quantity: i64) -> Result<(), String> {
    let lines = vec![add_to_cart::CartLineInput {
        variant_id,
        quantity,
    }];
    let data = run::<AddToCart>(&Client::from_context(), add_to_cart::Variables { lines })
        .await
        .map_err(|_| NETWORK_ERROR.to_owned())?;
    let payload = data.cart_create;
    if let Some(error) = payload.user_errors.into_iter().next() {
        return Err(error.message);
    }
    if let Some(cart) = payload.cart {
        // The total after discounts and the way to free shipping come from the checkout.
        let checkout =
            run::<MiniCartTotals>(&Client::from_context(), mini_cart_totals::Variables {})
                .await
                .ok()
                .and_then(|data| data.current_checkout);
        let (total, free) = match checkout {
            Some(c) => (
                c.goods_total.formatted,
                free_shipping_note(
                    c.amount_to_free_shipping.minor_units,
                    &c.amount_to_free_shipping.formatted,
                ),
            ),
            None => (cart.subtotal.formatted, String::new()),
        };
        show_in_mini_cart(cart.total_quantity, &total, &free);
    }
    Ok(())
}

/// "Doprava zdarma za 230 Kč", or "Doprava zdarma" once the goods reach the threshold.
pub fn free_shipping_note(missing_minor: i64, missing: &str) -> String {
    if missing_minor > 0 {
        format!("Doprava zdarma za {missing}")
    } else {
        "Doprava zdarma".to_owned()
    }
}

/// Writes the cart's size into the header's mini-cart (rendered by the server, outside islands).
fn show_in_mini_cart(quantity: i64, total: &str, free_shipping: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let set = |id: &str, text: &str| {
            if let Some(element) = document.get_element_by_id(id) {
                element.set_text_content(Some(text));
            }
        };
        set("mini-cart-count", &quantity.to_string());
        set("mini-cart-total", total);
        set("mini-cart-free", free_shipping);
    }
    let _ = (quantity, total, free_shipping);
}

/// The header's link to the cart: the number of items, the total after discounts and how far
/// free shipping is.
#[component]
pub fn MiniCart(quantity: i64, total: String, free_shipping: String) -> impl IntoView {
    view! {
        <a class="mini-cart" href="/kosik" data-testid="mini-cart" aria-label="Košík">
            <Icon path=CART/>
            <span class="mini-cart__label">"Košík"</span>
            <span class="mini-cart__count" id="mini-cart-count">{quantity}</span>
            <span class="mini-cart__total">
                <span id="mini-cart-total">{total}</span>
                <small class="mini-cart__free" id="mini-cart-free">{free_shipping}</small>
            </span>
        </a>
    }
}

/// "Do košíku" on a product tile (an island): adds one unit of the product's only variant.
#[island]
pub fn AddToCartButton(variant_id: String, name: String) -> impl IntoView {
    let state = RwSignal::new(None::<Result<(), String>>);
    let busy = RwSignal::new(false);
    let variant = StoredValue::new(variant_id);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            state.set(Some(add_variant(variant.get_value(), 1).await));
            busy.set(false);
        });
    };
    view! {
        // A plain form before hydration or without JavaScript; the island adds in place.
        <form class="add-to-cart-tile" method="post" action="/kosik/pridat" on:submit=add>
            <input type="hidden" name="variant" value=variant.get_value()/>
            <button
                type="submit"
                class="button button--small"
                data-testid="add-to-cart"
                aria-label=format!("Přidat do košíku: {name}")
                disabled=move || busy.get()
            >
                "Do košíku"
            </button>
        </form>
        {move || state.get().map(|outcome| match outcome {
            Ok(()) => view! { <span class="added" role="status">"Přidáno"</span> }.into_any(),
            Err(message) => view! { <span class="field__error" role="alert">{message}</span> }.into_any(),
        })}
    }
}
