//! What the cart and checkout pages load: the visitor's cart and its checkout.

use leptos::prelude::*;

use crate::api::{
    ApiError, Checkout, Client, CurrentCart, UpdateCheckout, checkout, current_cart, run,
    update_checkout,
};
use crate::components::{FieldErrors, NETWORK_ERROR, TotalsView, reload_to, submit};
use crate::user_errors;

pub type Cart = current_cart::CurrentCartCurrentCart;
pub type CheckoutState = checkout::CheckoutCheckout;
pub type Customer = current_cart::CurrentCartMe;

/// What the cart and checkout pages show.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CartData {
    pub cart: Cart,
    pub checkout: CheckoutState,
    /// The signed-in customer, if any.
    pub customer: Option<Customer>,
}

/// The page's resource of [`load`], for the cart and checkout pages.
pub fn resource() -> Resource<Result<Option<CartData>, ApiError>> {
    let client = Client::from_context();
    Resource::new(
        || (),
        move |()| {
            let client = client.clone();
            async move { load(&client).await }
        },
    )
}

/// The visitor's cart with its checkout; `None` when the cart is empty or there is none.
pub async fn load(client: &Client) -> Result<Option<CartData>, ApiError> {
    let data = run::<CurrentCart>(client, current_cart::Variables {}).await?;
    let Some(cart) = data.current_cart.filter(|cart| !cart.lines.is_empty()) else {
        return Ok(None);
    };
    let variables = checkout::Variables {
        cart_id: cart.id.clone(),
    };
    let checkout = run::<Checkout>(client, variables).await?.checkout;
    Ok(checkout.map(|checkout| CartData {
        cart,
        checkout,
        customer: data.me,
    }))
}

/// Saves checkout choices from the browser, then loads `next`; refusals go to `errors`.
pub fn save(
    input: update_checkout::CheckoutUpdateInput,
    errors: RwSignal<FieldErrors>,
    next: String,
) {
    submit::<UpdateCheckout>(
        update_checkout::Variables { input },
        move |result| match result {
            Ok(data) if data.checkout_update.user_errors.is_empty() => reload_to(&next),
            Ok(data) => errors.set(user_errors!(data.checkout_update.user_errors)),
            Err(_) => errors.set(FieldErrors(vec![(String::new(), NETWORK_ERROR.into())])),
        },
    );
}

/// A checkout update of `cart_id` that changes nothing (set the fields to change).
pub fn no_changes(cart_id: String) -> update_checkout::CheckoutUpdateInput {
    update_checkout::CheckoutUpdateInput {
        cart_id,
        email: None,
        shipping_address: None,
        billing_address: None,
        shipping_method: None,
        pickup_point_id: None,
        payment_method: None,
        discount_code: None,
    }
}

/// The checkout's prices; shipping shows once a method is chosen.
pub fn totals(c: &CheckoutState) -> TotalsView {
    let shipping = match c.shipping_method {
        Some(_) => crate::czech::price_or_free(c.shipping.minor_units, &c.shipping.formatted),
        None => "dle výběru dopravy".into(),
    };
    TotalsView {
        rows: vec![("Zboží", c.subtotal.formatted.clone())],
        vat: c
            .vat_breakdown
            .iter()
            .map(|v| (v.rate, v.net.formatted.clone(), v.vat.formatted.clone()))
            .collect(),
        total: c.total.formatted.clone(),
    }
    .discount_row(c.discount.minor_units, &c.discount.formatted)
    .with_row("Doprava", shipping)
    .optional_row(
        "Dobírka",
        c.payment_fee.minor_units,
        &c.payment_fee.formatted,
    )
    .optional_row(ROUNDING, c.rounding.minor_units, &c.rounding.formatted)
}

/// The label of cash on delivery's rounding to whole crowns.
pub const ROUNDING: &str = "Zaokrouhlení (dobírka v celých korunách)";
