//! `/kosik`: the cart with quantities, removal, the discount code and totals with VAT.

use leptos::prelude::*;

use super::checkout::data::{self, Cart, CheckoutState};
use super::checkout::delivery_promise;
use crate::api::{checkout, update_checkout};
use crate::components::{
    Field, FieldErrors, FormMessage, NETWORK_ERROR, OutcomeNote, PageMeta, Totals,
};

#[component]
pub fn CartPage() -> impl IntoView {
    let data = data::resource();
    view! {
        <PageMeta title="Košík".into() description="Zboží v košíku, slevový kód a cena s DPH.".into() path="/kosik".into()/>
        <section class="cart">
            <h1>"Košík"</h1>
            <OutcomeNote notes=&[
                ("chyba", "pridani", "Zboží se nepodařilo přidat: tolik kusů už skladem není."),
                ("chyba", "pocet", "Počet kusů se nepodařilo změnit: zadejte celé číslo, nejvýš kolik je skladem."),
            ]/>
            <Suspense fallback=|| view! { <p class="loading">"Načítám…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(Some(data)) => view! { <CartContents cart=data.cart checkout=data.checkout/> }.into_any(),
                        Ok(None) => view! { <EmptyCart/> }.into_any(),
                        Err(_) => view! { <p class="error">{NETWORK_ERROR}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// What an empty cart page says.
#[component]
pub fn EmptyCart() -> impl IntoView {
    view! {
        <div class="cart__empty">
            <p>"Košík je prázdný."</p>
            <a class="button" href="/">"Pokračovat v nákupu"</a>
        </div>
    }
}

/// The `id` of the cart form, which the summary's "Pokračovat k objednávce" also sends.
const CART_FORM: &str = "cart-form";

#[component]
fn CartContents(cart: Cart, checkout: CheckoutState) -> impl IntoView {
    let totals = data::totals(&checkout);
    view! {
        <CartForm cart_id=cart.id.clone()>
            // Enter in a quantity submits the form with its first button: recalculating, never
            // a line's "Odebrat".
            <button class="visually-hidden" type="submit" tabindex="-1" aria-hidden="true">"Přepočítat"</button>
            <table class="cart__lines table--stacked" data-testid="cart-lines">
                <thead>
                    <tr><th>"Zboží"</th><th>"Cena za kus"</th><th>"Počet"</th><th>"Celkem"</th></tr>
                </thead>
                <tbody>
                    {cart.lines.into_iter().filter_map(|line| {
                        let variant = line.variant?;
                        let product = variant.product?;
                        let short = (line.quantity_available < line.quantity).then(|| match line.quantity_available {
                            0 => "Zboží se vyprodalo.".to_owned(),
                            n => format!("Skladem je už jen {}.", crate::czech::count(n, crate::czech::PIECES)),
                        });
                        Some(view! {
                            <tr class="cart-line">
                                <td class="cart-line__product">
                                    {product.featured_image.map(|image| view! {
                                        <img src=image.url alt=image.alt_text width="64" height="64"/>
                                    })}
                                    <div>
                                        <a href=format!("/p/{}", product.slug)>{product.name.clone()}</a>
                                        <p class="cart-line__variant">{variant.title} " · " {variant.sku}</p>
                                        {short.map(|message| view! { <p class="field__error" role="alert">{message}</p> })}
                                    </div>
                                </td>
                                <td class="cart-line__unit" data-label="Cena za kus">{line.unit_price.formatted}</td>
                                <td class="cart-line__quantity">
                                    <div class="line-controls">
                                        <input type="hidden" name="variant" value=variant.id.clone()/>
                                        <input
                                            class="line-controls__quantity"
                                            type="number"
                                            name="quantity"
                                            value=line.quantity
                                            min="1"
                                            inputmode="numeric"
                                            aria-label=format!("Počet kusů: {}", product.name)
                                        />
                                        <button class="button button--small button--ghost" type="submit" name="remove" value=variant.id data-testid="remove-line">"Odebrat"</button>
                                    </div>
                                </td>
                                <td class="cart-line__total" data-label="Celkem">{line.total.formatted}</td>
                            </tr>
                        })
                    }).collect_view()}
                </tbody>
            </table>
            <button class="button button--small button--ghost cart__recalculate" type="submit" data-testid="recalculate">"Přepočítat"</button>
        </CartForm>
        <div class="cart__bottom">
            <DiscountForm cart_id=cart.id code=checkout.discount_code.clone().unwrap_or_default() problem=checkout.discount_problem.clone()/>
            <div class="cart__summary">
                <ShippingNote checkout=checkout.clone()/>
                <Totals totals/>
                <button class="button button--large" type="submit" form=CART_FORM name="next" value="pokladna" data-testid="to-checkout">"Pokračovat k objednávce"</button>
            </div>
        </div>
    }
}

/// How far the cart is from free shipping, and when the fastest carrier brings it.
#[component]
fn ShippingNote(checkout: CheckoutState) -> impl IntoView {
    let missing = checkout.amount_to_free_shipping;
    let free = if missing.minor_units > 0 {
        format!("Do dopravy zdarma zbývá {}", missing.formatted)
    } else {
        "Doprava je zdarma".to_owned()
    };
    let earliest = checkout
        .available_shipping_methods
        .iter()
        .filter(|o| o.method != checkout::ShippingMethod::PERSONAL_PICKUP)
        .filter_map(|o| o.delivery_date.clone())
        .min()
        .and_then(|date| crate::time::delivery_day(&date));
    view! {
        <p class="free-shipping" data-testid="free-shipping">{free}</p>
        {earliest.map(|day| view! { <p class="delivery-note" data-testid="delivery-date">{delivery_promise(false, &day)}</p> })}
    }
}

/// The cart's lines as one plain form (`POST /kosik/zmenit`): every quantity travels with
/// whichever button sends it, before hydration and without JavaScript too. Once hydrated (an
/// island), a changed quantity recalculates at once.
#[island]
fn CartForm(cart_id: String, children: Children) -> impl IntoView {
    let recalculate = move |_event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let form = _event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.form());
            if let Some(form) = form {
                let _ = form.request_submit();
            }
        }
    };
    view! {
        <form class="cart__form" id=CART_FORM method="post" action="/kosik/zmenit" on:change=recalculate>
            <input type="hidden" name="cart" value=cart_id/>
            {children()}
        </form>
    }
}

/// The discount code field (an island): applies or removes a code, then reloads the prices.
#[island]
fn DiscountForm(cart_id: String, code: String, problem: Option<String>) -> impl IntoView {
    let applied = !code.is_empty();
    let value = RwSignal::new(code);
    let errors = RwSignal::new(FieldErrors::default());
    if let Some(problem) = problem {
        errors.set(FieldErrors(vec![("discountCode".into(), problem)]));
    }
    let cart = StoredValue::new(cart_id);
    let send = move |code: String| {
        let input = update_checkout::CheckoutUpdateInput {
            discount_code: Some(code),
            ..data::no_changes(cart.get_value())
        };
        data::save(input, errors, "/kosik".into());
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(value.get_untracked());
    };
    view! {
        <form class="form discount" on:submit=apply novalidate data-testid="discount-form">
            <FormMessage errors/>
            <Field label="Slevový kód" name="discountCode" value=value errors/>
            <button class="button button--ghost" type="submit">"Uplatnit"</button>
            {applied.then(|| view! {
                <button class="button button--small button--ghost" type="button" on:click=move |_| send(String::new())>"Odebrat kód"</button>
            })}
        </form>
    }
}
