//! Step 1: contact e-mail, shipping address and, for a company, the invoice details.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::data::{self, CartData};
use crate::api::update_checkout;
use crate::api::{checkout, current_cart};
use crate::components::{Field, FieldErrors, FormMessage, checks};

/// What the form starts with: what the checkout already holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    email: String,
    first_name: String,
    last_name: String,
    street: String,
    city: String,
    postal_code: String,
    phone: String,
    company: String,
    ico: String,
    dic: String,
}

/// The address fields the form edits.
struct Address {
    first_name: String,
    last_name: String,
    street: String,
    city: String,
    postal_code: String,
    phone: Option<String>,
}

/// Implements `From` each operation's copy of the `Address` fragment for [`Address`].
macro_rules! address_from {
    ($($fragment:path),+) => {$(
        impl From<&$fragment> for Address {
            fn from(a: &$fragment) -> Self {
                Self {
                    first_name: a.first_name.clone(),
                    last_name: a.last_name.clone(),
                    street: a.street.clone(),
                    city: a.city.clone(),
                    postal_code: a.postal_code.clone(),
                    phone: a.phone.clone(),
                }
            }
        }
    )+};
}

address_from!(checkout::Address, current_cart::Address);

impl Contact {
    /// What the checkout holds, else the signed-in customer's e-mail and default address.
    fn from_data(data: &CartData) -> Self {
        let c = &data.checkout;
        let customer = data.customer.as_ref();
        let email = c
            .email
            .clone()
            .or_else(|| customer.map(|me| me.email.clone()));
        let mut contact = Self {
            email: email.unwrap_or_default(),
            ..Self::default()
        };
        // The checkout's own address, else the address of the customer's last order, else
        // their default one, else at least their name and phone.
        let address = c.shipping_address.as_ref().map(Address::from).or_else(|| {
            let me = customer?;
            let last = me
                .last_order
                .nodes
                .first()
                .map(|o| Address::from(&o.shipping_address));
            last.or_else(|| me.default_shipping_address.as_ref().map(Address::from))
                .or_else(|| {
                    Some(Address {
                        first_name: me.first_name.clone(),
                        last_name: me.last_name.clone(),
                        street: String::new(),
                        city: String::new(),
                        postal_code: String::new(),
                        phone: me.phone.clone(),
                    })
                })
        });
        if let Some(a) = address {
            contact.first_name = a.first_name;
            contact.last_name = a.last_name;
            contact.street = a.street;
            contact.city = a.city;
            contact.postal_code = a.postal_code;
            contact.phone = a.phone.unwrap_or_default();
        }
        if let Some(b) = &c.billing_address {
            contact.company = b.company.clone().unwrap_or_default();
            contact.ico = b.ico.clone().unwrap_or_default();
            contact.dic = b.dic.clone().unwrap_or_default();
        }
        contact
    }
}

pub fn step(cart_id: String, data: &CartData, next: String) -> impl IntoView {
    view! { <ContactForm cart_id contact=Contact::from_data(data) next/> }
}

/// Moves the keyboard focus to the first field with an error (in the form's order), so a
/// screen reader and a phone's keyboard land where the shopper has to fix something.
fn focus_first_error(errors: &FieldErrors) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let first = FIELD_ORDER.iter().find(|name| errors.get(name).is_some());
        let input = first.and_then(|name| {
            document()
                .query_selector(&format!("[name=\"{name}\"]"))
                .ok()
                .flatten()?
                .dyn_into::<web_sys::HtmlElement>()
                .ok()
        });
        if let Some(input) = input {
            let _ = input.focus();
        }
    }
    let _ = errors;
}

/// The form's fields from top to bottom.
#[cfg(feature = "hydrate")]
const FIELD_ORDER: [&str; 7] = [
    "email",
    "address.firstName",
    "address.lastName",
    "address.street",
    "address.city",
    "address.postalCode",
    "address.phone",
];

/// The contact and address form (an island).
#[island]
fn ContactForm(cart_id: String, contact: Contact, next: String) -> impl IntoView {
    let text = RwSignal::new;
    let email = text(contact.email);
    let first_name = text(contact.first_name);
    let last_name = text(contact.last_name);
    let street = text(contact.street);
    let city = text(contact.city);
    let postal_code = text(contact.postal_code);
    let phone = text(contact.phone);
    let is_company = RwSignal::new(!contact.company.is_empty());
    let company = text(contact.company);
    let ico = text(contact.ico);
    let dic = text(contact.dic);
    let errors = RwSignal::new(FieldErrors::default());
    let targets = StoredValue::new((cart_id, next));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = FieldErrors::default();
        let required = [
            ("address.firstName", first_name),
            ("address.lastName", last_name),
            ("address.street", street),
            ("address.city", city),
        ];
        for (name, value) in required {
            if let Some(message) = checks::required(&value.get_untracked()) {
                found.add(name, message);
            }
        }
        if let Some(message) = checks::email(&email.get_untracked()) {
            found.add("email", message);
        }
        if let Some(message) = checks::postal_code(&postal_code.get_untracked()) {
            found.add("address.postalCode", message);
        }
        if let Some(message) = checks::phone(&phone.get_untracked()) {
            found.add("address.phone", message);
        }
        if !found.is_empty() {
            focus_first_error(&found);
            return errors.set(found);
        }
        let optional =
            |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let address = |with_company: bool| update_checkout::MailingAddressInput {
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            company: optional(company).filter(|_| with_company),
            ico: optional(ico).filter(|_| with_company),
            dic: optional(dic).filter(|_| with_company),
            street: street.get_untracked(),
            city: city.get_untracked(),
            postal_code: postal_code.get_untracked(),
            country: None,
            phone: optional(phone),
        };
        let (cart_id, next) = targets.get_value();
        let input = update_checkout::CheckoutUpdateInput {
            email: Some(email.get_untracked()),
            shipping_address: Some(address(false)),
            billing_address: Some(address(is_company.get_untracked())),
            ..data::no_changes(cart_id)
        };
        data::save(input, errors, next);
    };
    view! {
        <form class="form" on:submit=on_submit novalidate data-testid="contact-form">
            <h2>"Kontakt a adresa doručení"</h2>
            <FormMessage errors/>
            <Field label="E-mail" name="email" kind="email" autocomplete="email" value=email errors/>
            <Field label="Jméno" name="address.firstName" autocomplete="given-name" value=first_name errors/>
            <Field label="Příjmení" name="address.lastName" autocomplete="family-name" value=last_name errors/>
            <Field label="Ulice a číslo domu" name="address.street" autocomplete="street-address" value=street errors/>
            <Field label="Obec" name="address.city" autocomplete="address-level2" value=city errors/>
            <Field label="PSČ" name="address.postalCode" autocomplete="postal-code" inputmode="numeric" value=postal_code errors/>
            <Field label="Telefon (pro SMS od dopravce)" name="address.phone" kind="tel" autocomplete="tel" inputmode="tel" value=phone errors/>
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || is_company.get() on:change=move |ev| is_company.set(event_target_checked(&ev))/>
                " Nakupuji na firmu (faktura s IČO a DIČ)"
            </label>
            <Show when=move || is_company.get()>
                <Field label="Název firmy" name="address.company" autocomplete="organization" value=company errors/>
                <Field label="IČO" name="address.ico" inputmode="numeric" value=ico errors/>
                <Field label="DIČ" name="address.dic" value=dic errors/>
            </Show>
            <button class="button" type="submit">"Pokračovat k dopravě"</button>
        </form>
    }
}
