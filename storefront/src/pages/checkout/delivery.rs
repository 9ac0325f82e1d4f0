//! Steps 2 and 3: how the order travels (with a Zásilkovna pickup point) and how it is paid.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::data::{self, CheckoutState};
use super::pickup::{PickupPointPicker, PointView};
use crate::api::{checkout, update_checkout};
use crate::components::{FieldErrors, FormMessage};

/// One radio choice: its code, what it is called and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    code: String,
    name: String,
    price: String,
    needs_pickup_point: bool,
    /// "Doručíme v pátek 4. 12." (shipping only, when the cart is in stock).
    delivery: Option<String>,
}

pub fn shipping_step(cart_id: String, c: &CheckoutState, next: String) -> impl IntoView {
    let choices = c
        .available_shipping_methods
        .iter()
        .map(|option| Choice {
            code: shipping_code(&option.method).to_owned(),
            name: option.name.clone(),
            price: crate::czech::price_or_free(option.price.minor_units, &option.price.formatted),
            needs_pickup_point: option.needs_pickup_point,
            delivery: option
                .delivery_date
                .as_deref()
                .and_then(crate::time::delivery_day)
                .map(|day| {
                    delivery_promise(
                        option.method == checkout::ShippingMethod::PERSONAL_PICKUP,
                        &day,
                    )
                }),
        })
        .collect();
    let chosen = c
        .shipping_method
        .as_ref()
        .map(|m| shipping_code(m).to_owned());
    let point = c.pickup_point_id.clone().unwrap_or_default();
    let initial_point = c.pickup_point.clone().map(|p| PointView {
        id: p.id,
        name: p.name,
        address: p.address,
        hours: p.opening_hours,
        distance: None,
    });
    view! { <ChoiceForm cart_id choices chosen point initial_point next kind=Kind::Shipping/> }
}

pub fn payment_step(cart_id: String, c: &CheckoutState, next: String) -> impl IntoView {
    let choices = c
        .available_payment_methods
        .iter()
        .map(|option| Choice {
            code: payment_code(&option.method).to_owned(),
            name: option.name.clone(),
            price: crate::czech::price_or_free(option.fee.minor_units, &option.fee.formatted),
            needs_pickup_point: false,
            delivery: None,
        })
        .collect();
    let chosen = c
        .payment_method
        .as_ref()
        .map(|m| payment_code(m).to_owned());
    view! { <ChoiceForm cart_id choices chosen point=String::new() initial_point=None next kind=Kind::Payment/> }
}

/// Which choice a [`ChoiceForm`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Kind {
    Shipping,
    Payment,
}

/// Radio buttons for the shipping or the payment method (an island).
#[island]
fn ChoiceForm(
    cart_id: String,
    choices: Vec<Choice>,
    chosen: Option<String>,
    point: String,
    initial_point: Option<PointView>,
    next: String,
    kind: Kind,
) -> impl IntoView {
    let initial_point = StoredValue::new(initial_point);
    let chosen = RwSignal::new(chosen);
    let point = RwSignal::new(point);
    let errors = RwSignal::new(FieldErrors::default());
    let choices = StoredValue::new(choices);
    let needs_point = move || {
        let code = chosen.get();
        choices.with_value(|all| {
            all.iter()
                .any(|c| Some(&c.code) == code.as_ref() && c.needs_pickup_point)
        })
    };
    let targets = StoredValue::new((cart_id, next));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(code) = chosen.get_untracked() else {
            return errors.set(FieldErrors(vec![(
                String::new(),
                "Vyberte prosím jednu z možností.".into(),
            )]));
        };
        let (cart_id, next) = targets.get_value();
        let mut input = data::no_changes(cart_id);
        match kind {
            Kind::Shipping => {
                if needs_point() && point.get_untracked().is_empty() {
                    return errors.set(FieldErrors(vec![(
                        "pickupPointId".into(),
                        "Vyberte výdejní místo ze seznamu.".into(),
                    )]));
                }
                input.shipping_method = Some(shipping_method(&code));
                input.pickup_point_id = needs_point().then(|| point.get_untracked());
            }
            Kind::Payment => input.payment_method = Some(payment_method(&code)),
        }
        data::save(input, errors, next);
    };
    let (title, button) = match kind {
        Kind::Shipping => ("Doprava", "Pokračovat k platbě"),
        Kind::Payment => ("Platba", "Pokračovat k souhrnu"),
    };
    view! {
        <form class="form" on:submit=on_submit novalidate data-testid="choice-form">
            <h2>{title}</h2>
            <FormMessage errors/>
            <fieldset class="choices">
                <legend class="visually-hidden">{title}</legend>
                {choices.get_value().into_iter().map(|choice| {
                    let code = choice.code.clone();
                    let checked = code.clone();
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name="method"
                                value=code.clone()
                                prop:checked=move || chosen.get().as_deref() == Some(checked.as_str())
                                on:change=move |_| chosen.set(Some(code.clone()))
                            />
                            <span class="choice__name">
                                {choice.name}
                                {choice.delivery.map(|text| view! { <small class="choice__delivery" data-testid="delivery-date">{text}</small> })}
                            </span>
                            <span class="choice__price">{choice.price}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <Show when=needs_point>
                <PickupPointPicker chosen=point initial=initial_point.get_value() errors/>
            </Show>
            <button class="button" type="submit">{button}</button>
        </form>
    }
}

/// When the shopper gets the goods: collected at the shop, or brought.
pub fn delivery_promise(personal_pickup: bool, day: &str) -> String {
    if personal_pickup {
        format!("Vyzvednete {day}")
    } else {
        format!("Doručíme {day}")
    }
}

fn shipping_code(method: &checkout::ShippingMethod) -> &str {
    use checkout::ShippingMethod::*;
    match method {
        ZASILKOVNA => "ZASILKOVNA",
        PPL => "PPL",
        CESKA_POSTA => "CESKA_POSTA",
        PERSONAL_PICKUP => "PERSONAL_PICKUP",
        Other(code) => code,
    }
}

fn shipping_method(code: &str) -> update_checkout::ShippingMethod {
    use update_checkout::ShippingMethod::*;
    match code {
        "ZASILKOVNA" => ZASILKOVNA,
        "PPL" => PPL,
        "CESKA_POSTA" => CESKA_POSTA,
        "PERSONAL_PICKUP" => PERSONAL_PICKUP,
        other => Other(other.to_owned()),
    }
}

fn payment_code(method: &checkout::PaymentMethod) -> &str {
    use checkout::PaymentMethod::*;
    match method {
        BANK_TRANSFER => "BANK_TRANSFER",
        CASH_ON_DELIVERY => "CASH_ON_DELIVERY",
        CARD => "CARD",
        Other(code) => code,
    }
}

fn payment_method(code: &str) -> update_checkout::PaymentMethod {
    use update_checkout::PaymentMethod::*;
    match code {
        "BANK_TRANSFER" => BANK_TRANSFER,
        "CASH_ON_DELIVERY" => CASH_ON_DELIVERY,
        "CARD" => CARD,
        other => Other(other.to_owned()),
    }
}
