//! `/kosik`: the cart with quantities, removal, the discount code and totals with VAT.

use leptos::prelude::*;

use super::checkout::data::{self, Cart, CheckoutState};
use crate::api::{RemoveLine, SetQuantity, remove_line, set_quantity, update_checkout};
use crate::components::{
    Field, FieldErrors, FormMessage, NETWORK_ERROR, OutcomeNote, PageMeta, Totals, reload_to,
    submit,
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

#[component]
fn CartContents(cart: Cart, checkout: CheckoutState) -> impl IntoView {
    let totals = data::totals(&checkout);
    let cart_id = cart.id.clone();
    view! {
        <table class="cart__lines" data-testid="cart-lines">
            <thead>
                <tr><th>"Zboží"</th><th>"Cena za kus"</th><th>"Počet"</th><th>"Celkem"</th></tr>
            </thead>
            <tbody>
                {cart.lines.into_iter().filter_map(|line| {
                    let variant = line.variant?;
                    let product = variant.product?;
                    let short = (line.quantity_available < line.quantity).then(|| match line.quantity_available {
                        0 => "Zboží se vyprodalo.".to_owned(),
                        n => format!("Skladem je už jen {n} ks."),
                    });
                    Some(view! {
                        <tr class="cart-line">
                            <td class="cart-line__product">
                                {product.featured_image.map(|image| view! {
                                    <img src=image.url alt=image.alt_text width="64" height="64"/>
                                })}
                                <div>
                                    <a href=format!("/p/{}", product.slug)>{product.name}</a>
                                    <p class="cart-line__variant">{variant.title} " · " {variant.sku}</p>
                                    {short.map(|message| view! { <p class="field__error" role="alert">{message}</p> })}
                                </div>
                            </td>
                            <td>{line.unit_price.formatted}</td>
                            <td><LineControls cart_id=cart_id.clone() variant_id=variant.id quantity=line.quantity/></td>
                            <td class="cart-line__total">{line.total.formatted}</td>
                        </tr>
                    })
                }).collect_view()}
            </tbody>
        </table>
        <div class="cart__bottom">
            <DiscountForm cart_id=cart.id code=checkout.discount_code.clone().unwrap_or_default() problem=checkout.discount_problem.clone()/>
            <div class="cart__summary">
                <Totals totals/>
                <a class="button button--large" href="/pokladna/udaje" data-testid="to-checkout">"Pokračovat k objednávce"</a>
            </div>
        </div>
    }
}

/// A line's quantity and removal (an island); the page reloads with the new prices.
#[island]
fn LineControls(cart_id: String, variant_id: String, quantity: i64) -> impl IntoView {
    let wanted = RwSignal::new(quantity.to_string());
    let error = RwSignal::new(None::<String>);
    let ids = StoredValue::new((cart_id, variant_id));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(quantity) = wanted.get_untracked().trim().parse::<i64>() else {
            return error.set(Some("Zadejte počet kusů.".into()));
        };
        let (cart_id, variant_id) = ids.get_value();
        let variables = set_quantity::Variables {
            cart_id,
            variant_id,
            quantity,
        };
        submit::<SetQuantity>(variables, move |result| match result {
            Ok(data) => match data.cart_lines_update.user_errors.into_iter().next() {
                Some(e) => error.set(Some(e.message)),
                None => reload_to("/kosik"),
            },
            Err(_) => error.set(Some(NETWORK_ERROR.into())),
        });
    };
    let remove = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let (cart_id, variant_id) = ids.get_value();
        let variables = remove_line::Variables {
            cart_id,
            variant_id,
        };
        submit::<RemoveLine>(variables, move |result| match result {
            Ok(_) => reload_to("/kosik"),
            Err(_) => error.set(Some(NETWORK_ERROR.into())),
        });
    };
    view! {
        // A plain form before hydration or without JavaScript; the island saves in place.
        <form class="line-controls" method="post" action="/kosik/zmenit" on:submit=save>
            <input type="hidden" name="cart" value=ids.get_value().0/>
            <input type="hidden" name="variant" value=ids.get_value().1/>
            <input
                class="line-controls__quantity"
                type="number"
                name="quantity"
                value=quantity
                min="1"
                aria-label="Počet kusů"
                prop:value=move || wanted.get()
                on:input=move |ev| wanted.set(event_target_value(&ev))
            />
            <button class="button button--small button--ghost" type="submit">"Změnit"</button>
            <button class="button button--small button--ghost" type="submit" name="remove" value="1" on:click=remove data-testid="remove-line">"Odebrat"</button>
            {move || error.get().map(|message| view! { <p class="field__error" role="alert">{message}</p> })}
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
