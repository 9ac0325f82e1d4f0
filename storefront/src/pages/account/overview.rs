//! `/ucet`: the signed-in customer's profile, password, addresses and sign-out.

use leptos::prelude::*;

use crate::api::{
    ChangePassword, Client, CreateAddress, DeleteAddress, Logout, Me, UpdateAddress, UpdateProfile,
    change_password, create_address, delete_address, logout, me, run, update_address,
    update_profile,
};
use crate::components::{
    Field, FieldErrors, FormMessage, NETWORK_ERROR, PageMeta, checks, reload_to, submit,
};

use super::watches::Watches;
use crate::pages::order::{status_label, status_name};
use crate::time::prague;

type Customer = me::MeMe;
type Address = me::MeMeAddresses;

#[component]
pub fn AccountPage() -> impl IntoView {
    let client = Client::from_context();
    let data = Resource::new(
        || (),
        move |()| {
            let client = client.clone();
            async move { run::<Me>(&client, me::Variables {}).await }
        },
    );
    view! {
        <PageMeta title="Můj účet".into() description="Údaje, adresy a heslo vašeho účtu.".into() path="/ucet".into()/>
        <Suspense fallback=|| view! { <p class="loading">"Načítám…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(me::ResponseData { me: Some(customer) }) => view! { <Account customer/> }.into_any(),
                    Ok(_) => view! {
                        <section class="form-page">
                            <h1>"Můj účet"</h1>
                            <p>"Pro zobrazení účtu se prosím přihlaste."</p>
                            <a class="button" href="/prihlaseni">"Přihlásit se"</a>
                        </section>
                    }.into_any(),
                    Err(_) => view! { <p class="error">{NETWORK_ERROR}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The customer's orders, newest first, each linking to its page.
#[component]
fn OrderHistory(orders: Vec<me::MeMeOrdersNodes>) -> impl IntoView {
    if orders.is_empty() {
        return view! { <p>"Zatím žádné objednávky."</p> }.into_any();
    }
    view! {
        <table class="order-history table--stacked" data-testid="order-history">
            <thead><tr><th>"Číslo"</th><th>"Datum"</th><th>"Stav"</th><th>"Celkem"</th></tr></thead>
            <tbody>
                {orders.into_iter().map(|order| view! {
                    <tr>
                        <td class="table__title"><a href=format!("/objednavka/{}", order.number)>{order.number.clone()}</a></td>
                        <td data-label="Datum">{prague(&order.created_at)}</td>
                        <td data-label="Stav">{status_label(&status_name(&order.status)).to_owned()}</td>
                        <td data-label="Celkem">{order.total.formatted}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Ends the session and reloads the home page (an island).
#[island]
fn SignOutButton() -> impl IntoView {
    let sign_out = move |_| submit::<Logout>(logout::Variables {}, |_| reload_to("/"));
    view! { <button class="button button--ghost" type="button" on:click=sign_out>"Odhlásit se"</button> }
}

#[component]
fn Account(customer: Customer) -> impl IntoView {
    let default_shipping = customer
        .default_shipping_address
        .as_ref()
        .map(|a| a.id.clone());
    view! {
        <section class="account">
            <div class="account__head">
                <h1>"Můj účet"</h1>
                <SignOutButton/>
            </div>
            <p class="account__email">{customer.email.clone()}</p>
            <h2>"Objednávky"</h2>
            <OrderHistory orders=customer.orders.nodes.clone()/>
            <Watches/>
            <div class="account__grid">
                <Profile customer=customer.clone()/>
                <PasswordChange/>
            </div>
            <h2>"Adresy"</h2>
            <ul class="addresses">
                {customer.addresses.into_iter().map(|address| {
                    let is_default = default_shipping.as_deref() == Some(address.id.as_str());
                    view! { <li><AddressForm address=Some(address) is_default/></li> }
                }).collect_view()}
            </ul>
            <h3>"Nová adresa"</h3>
            <AddressForm address=None is_default=false/>
        </section>
    }
}

#[island]
fn Profile(customer: Customer) -> impl IntoView {
    let first_name = RwSignal::new(customer.first_name);
    let last_name = RwSignal::new(customer.last_name);
    let phone = RwSignal::new(customer.phone.unwrap_or_default());
    let marketing = customer.marketing_consent;
    let errors = RwSignal::new(FieldErrors::default());
    let done = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let phone = phone.get_untracked();
        let input = update_profile::CustomerUpdateInput {
            first_name: first_name.get_untracked(),
            last_name: last_name.get_untracked(),
            phone: (!phone.trim().is_empty()).then_some(phone),
            marketing_consent: marketing,
        };
        submit::<UpdateProfile>(update_profile::Variables { input }, move |result| {
            saved(result.map(|d| d.customer_update.user_errors), errors, done)
        });
    };
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <h2>"Osobní údaje"</h2>
            <FormMessage errors success=done/>
            <Field label="Jméno" name="firstName" autocomplete="given-name" value=first_name errors/>
            <Field label="Příjmení" name="lastName" autocomplete="family-name" value=last_name errors/>
            <Field label="Telefon" name="phone" kind="tel" autocomplete="tel" value=phone errors/>
            <button class="button" type="submit">"Uložit údaje"</button>
        </form>
    }
}

#[island]
fn PasswordChange() -> impl IntoView {
    let (current, new) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = RwSignal::new(FieldErrors::default());
    let done = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(message) = checks::password(&new.get_untracked()) {
            return errors.set(FieldErrors(vec![("newPassword".into(), message.into())]));
        }
        let input = change_password::CustomerPasswordChangeInput {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
            // The storefront's session lives in cookies; it stays signed in without this.
            refresh_token: None,
        };
        submit::<ChangePassword>(change_password::Variables { input }, move |result| {
            saved(
                result.map(|d| d.customer_password_change.user_errors),
                errors,
                done,
            )
        });
    };
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <h2>"Změna hesla"</h2>
            <FormMessage errors success=done/>
            <Field label="Současné heslo" name="currentPassword" kind="password" autocomplete="current-password" value=current errors/>
            <Field label="Nové heslo" name="newPassword" kind="password" autocomplete="new-password" value=new errors/>
            <button class="button" type="submit">"Změnit heslo"</button>
        </form>
    }
}

/// Shows the outcome of a save: the field errors, or "Uloženo".
fn saved<E>(
    result: Result<Vec<E>, crate::api::ApiError>,
    errors: RwSignal<FieldErrors>,
    done: RwSignal<Option<String>>,
) where
    E: Into<(Vec<String>, String)>,
{
    match result {
        Ok(list) if list.is_empty() => {
            errors.set(FieldErrors::default());
            done.set(Some("Uloženo.".into()));
        }
        Ok(list) => {
            done.set(None);
            errors.set(FieldErrors::from_user_errors(
                list.into_iter().map(Into::into),
            ));
        }
        Err(_) => errors.set(FieldErrors(vec![(String::new(), NETWORK_ERROR.into())])),
    }
}

/// Implements the conversion [`saved`] takes for each operation's `userErrors` type.
macro_rules! user_error_pairs {
    ($($ty:path),+) => {$(
        impl From<$ty> for (Vec<String>, String) {
            fn from(e: $ty) -> Self {
                (e.field, e.message)
            }
        }
    )+};
}

user_error_pairs!(
    update_profile::UpdateProfileCustomerUpdateUserErrors,
    change_password::ChangePasswordCustomerPasswordChangeUserErrors,
    create_address::CreateAddressCustomerAddressCreateUserErrors,
    update_address::UpdateAddressCustomerAddressUpdateUserErrors
);

/// A saved address to edit (or delete), or the form for a new one (an island).
#[island]
fn AddressForm(address: Option<Address>, is_default: bool) -> impl IntoView {
    let id = address.as_ref().map(|a| a.id.clone());
    let a = address.as_ref();
    let text =
        |get: fn(&Address) -> Option<String>| RwSignal::new(a.and_then(get).unwrap_or_default());
    let first_name = text(|a| Some(a.first_name.clone()));
    let last_name = text(|a| Some(a.last_name.clone()));
    let company = text(|a| a.company.clone());
    let ico = text(|a| a.ico.clone());
    let street = text(|a| Some(a.street.clone()));
    let city = text(|a| Some(a.city.clone()));
    let postal_code = text(|a| Some(a.postal_code.clone()));
    let errors = RwSignal::new(FieldErrors::default());
    let done = RwSignal::new(None::<String>);
    let is_new = id.is_none();
    let save_id = id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(message) = checks::postal_code(&postal_code.get_untracked()) {
            return errors.set(FieldErrors(vec![(
                "address.postalCode".into(),
                message.into(),
            )]));
        }
        let optional =
            |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        macro_rules! address_input {
            ($module:ident) => {
                $module::MailingAddressInput {
                    first_name: first_name.get_untracked(),
                    last_name: last_name.get_untracked(),
                    company: optional(company),
                    ico: optional(ico),
                    dic: None,
                    street: street.get_untracked(),
                    city: city.get_untracked(),
                    postal_code: postal_code.get_untracked(),
                    country: None,
                    phone: None,
                }
            };
        }
        match save_id.clone() {
            None => {
                let input = create_address::CustomerAddressCreateInput {
                    address: address_input!(create_address),
                    default_shipping: true,
                    default_billing: false,
                };
                submit::<CreateAddress>(create_address::Variables { input }, move |result| {
                    match result {
                        Ok(data) if data.customer_address_create.user_errors.is_empty() => {
                            reload_to("/ucet")
                        }
                        other => saved(
                            other.map(|d| d.customer_address_create.user_errors),
                            errors,
                            done,
                        ),
                    }
                });
            }
            Some(id) => {
                let input = update_address::CustomerAddressUpdateInput {
                    id,
                    address: address_input!(update_address),
                };
                submit::<UpdateAddress>(update_address::Variables { input }, move |result| {
                    saved(
                        result.map(|d| d.customer_address_update.user_errors),
                        errors,
                        done,
                    )
                });
            }
        }
    };
    let delete = id.map(|id| {
        move |_| {
            submit::<DeleteAddress>(delete_address::Variables { id: id.clone() }, |_| {
                reload_to("/ucet")
            });
        }
    });
    view! {
        <form class="form address-form" on:submit=on_submit novalidate>
            {is_default.then(|| view! { <p class="address-form__default">"Výchozí doručovací adresa"</p> })}
            <FormMessage errors success=done/>
            <div class="form__row">
                <Field label="Jméno" name="address.firstName" value=first_name errors/>
                <Field label="Příjmení" name="address.lastName" value=last_name errors/>
            </div>
            <Field label="Ulice a číslo" name="address.street" autocomplete="street-address" value=street errors/>
            <div class="form__row">
                <Field label="Obec" name="address.city" autocomplete="address-level2" value=city errors/>
                <Field label="PSČ" name="address.postalCode" autocomplete="postal-code" value=postal_code errors/>
            </div>
            <div class="form__row">
                <Field label="Firma (nepovinné)" name="address.company" value=company errors/>
                <Field label="IČO (nepovinné)" name="address.ico" value=ico errors/>
            </div>
            <button class="button" type="submit">{if is_new { "Přidat adresu" } else { "Uložit adresu" }}</button>
            {delete.map(|delete| view! { <button class="button button--ghost" type="button" on:click=delete>"Smazat"</button> })}
        </form>
    }
}
