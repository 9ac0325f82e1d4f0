//! Step 4: everything at a glance, and placing the order.

use leptos::prelude::*;

use super::data::{self, Cart, CheckoutState};
use crate::api::{PayOrder, PlaceOrder, checkout, pay_order, place_order};
use crate::components::{NETWORK_ERROR, Totals, reload_to, submit};

pub fn step(cart: Cart, c: CheckoutState) -> impl IntoView {
    let shipping = c.shipping_method.as_ref().and_then(|chosen| {
        c.available_shipping_methods
            .iter()
            .find(|o| &o.method == chosen)
            .map(|o| o.name.clone())
    });
    let payment = c.payment_method.as_ref().and_then(|chosen| {
        c.available_payment_methods
            .iter()
            .find(|o| &o.method == chosen)
            .map(|o| o.name.clone())
    });
    let carrier = c
        .shipping_method
        .as_ref()
        .is_some_and(|m| *m != checkout::ShippingMethod::PERSONAL_PICKUP);
    let missing = [
        (
            c.email.is_none() || c.shipping_address.is_none(),
            "udaje",
            "Doplňte kontakt a adresu.",
        ),
        (shipping.is_none(), "doprava", "Vyberte dopravu."),
        (payment.is_none(), "platba", "Vyberte platbu."),
        (
            carrier
                && c.shipping_address
                    .as_ref()
                    .is_some_and(|a| a.phone.is_none()),
            "udaje",
            "Doplňte telefon: dopravce vám pošle SMS o doručení.",
        ),
    ];
    let ready = missing.iter().all(|(is_missing, _, _)| !is_missing);
    // One key per cart state: a repeated click or a retry after a lost answer places one order.
    let key = format!("{}@{}", cart.id, cart.updated_at);
    view! {
        <div class="review">
            <h2>"Souhrn objednávky"</h2>
            <ul class="review__missing">
                {missing.into_iter().filter(|(is_missing, _, _)| *is_missing).map(|(_, step, message)| view! {
                    <li><a href=format!("/pokladna/{step}")>{message}</a></li>
                }).collect_view()}
            </ul>
            <ul class="review__lines">
                {cart.lines.into_iter().filter_map(|line| {
                    let variant = line.variant?;
                    let product = variant.product?;
                    Some(view! {
                        <li>{format!("{} × {} ({})", line.quantity, product.name, variant.title)} " – " {line.total.formatted}</li>
                    })
                }).collect_view()}
            </ul>
            <dl class="review__facts">
                <dt>"E-mail"</dt><dd>{c.email.clone().unwrap_or_default()}</dd>
                <dt>"Doručit na"</dt>
                <dd>{c.shipping_address.as_ref().map(|a| format!("{} {}, {}, {} {}", a.first_name, a.last_name, a.street, a.postal_code, a.city)).unwrap_or_default()}</dd>
                <dt>"Doprava"</dt>
                <dd data-testid="review-shipping">{shipping.unwrap_or_default()} {c.pickup_point.clone().map(|p| format!(": {}, {}", p.name, p.address))}</dd>
                <dt>"Platba"</dt><dd data-testid="review-payment">{payment.unwrap_or_default()}</dd>
                {c.discount_code.clone().map(|code| view! { <dt>"Slevový kód"</dt><dd>{code}</dd> })}
            </dl>
            <div class="review__total">
                <Totals totals=data::totals(&c)/>
                <PlaceOrderButton cart_id=cart.id key ready/>
            </div>
        </div>
    }
}

/// Starts the card payment of a new order and sends the shopper to the gateway; when that
/// fails, the order's page says why and offers to try again.
fn go_pay(number: String, page: String) {
    let method = pay_order::PayWith::CARD;
    submit::<PayOrder>(
        pay_order::Variables { number, method },
        move |result| match result.ok().and_then(|data| data.order_pay.redirect_url) {
            Some(url) => reload_to(&url),
            None => reload_to(&page),
        },
    );
}

/// "Objednat s povinností platby" (an island): places the order and opens its page (or, for a
/// card payment, the gateway).
#[island]
fn PlaceOrderButton(cart_id: String, key: String, ready: bool) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let consent = RwSignal::new(false);
    let request = StoredValue::new((cart_id, key));
    let place = move |_| {
        if !consent.get_untracked() {
            return error.set(Some(
                "Potvrďte prosím souhlas s obchodními podmínkami.".into(),
            ));
        }
        let (cart_id, key) = request.get_value();
        busy.set(true);
        submit::<PlaceOrder>(place_order::Variables { cart_id, key }, move |result| {
            busy.set(false);
            match result {
                Ok(data) => match (
                    data.checkout_complete.order,
                    data.checkout_complete.user_errors.into_iter().next(),
                ) {
                    (Some(order), _) => {
                        let card = order.payment_method == "CARD";
                        let page = format!("/objednavka/{}?nova=1", order.number);
                        if card {
                            go_pay(order.number, page);
                        } else {
                            reload_to(&page);
                        }
                    }
                    (None, Some(e)) => error.set(Some(e.message)),
                    (None, None) => error.set(Some(NETWORK_ERROR.into())),
                },
                Err(_) => error.set(Some(NETWORK_ERROR.into())),
            }
        });
    };
    view! {
        <label class="consent">
            <input type="checkbox" name="terms" data-testid="terms-consent" prop:checked=move || consent.get() on:change=move |ev| consent.set(event_target_checked(&ev))/>
            <span>
                "Souhlasím s " <a href="/obchodni-podminky" target="_blank">"obchodními podmínkami"</a>
                " a beru na vědomí " <a href="/ochrana-osobnich-udaju" target="_blank">"zpracování osobních údajů"</a> "."
            </span>
        </label>
        {move || error.get().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
        <button class="button button--large" type="button" data-testid="place-order" disabled=move || busy.get() || !ready on:click=place>
            "Objednat s povinností platby"
        </button>
    }
}
