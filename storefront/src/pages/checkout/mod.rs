//! `/pokladna/<krok>`: the checkout in steps (contact and addresses → shipping → payment →
//! review). Every choice is saved on the server with the cart, so a reload or a later visit
//! picks up where the shopper left off.

mod contact;
pub mod data;
mod delivery;
mod pickup;
mod review;

pub use delivery::delivery_promise;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::NotFound;
use super::cart::EmptyCart;
use crate::components::{NETWORK_ERROR, PageMeta, Totals};

/// The steps: path segment and title.
const STEPS: [(&str, &str); 4] = [
    ("udaje", "Kontakt a adresa"),
    ("doprava", "Doprava"),
    ("platba", "Platba"),
    ("souhrn", "Souhrn"),
];

/// The path of the step after `step`.
fn next_step(step: &str) -> String {
    let index = STEPS.iter().position(|(s, _)| *s == step).unwrap_or(0);
    let (next, _) = STEPS[(index + 1).min(STEPS.len() - 1)];
    format!("/pokladna/{next}")
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let step = use_params_map()
        .get_untracked()
        .get("krok")
        .unwrap_or_default();
    let Some((_, title)) = STEPS.iter().find(|(s, _)| *s == step) else {
        return view! { <NotFound/> }.into_any();
    };
    let data = data::resource();
    let path = format!("/pokladna/{step}");
    view! {
        <PageMeta title=format!("Objednávka – {title}") description="Dokončení objednávky.".into() path/>
        <section class="checkout">
            <h1>"Objednávka"</h1>
            <StepList current=step.clone()/>
            <Suspense fallback=|| view! { <p class="loading">"Načítám…"</p> }>
                {move || {
                    let step = step.clone();
                    Suspend::new(async move {
                        match data.await {
                            // The last step shows the totals itself, above the order button.
                            Ok(Some(data)) if step == "souhrn" => review::step(data.cart, data.checkout).into_any(),
                            Ok(Some(data)) => view! {
                                <div class="checkout__grid">
                                    <div class="checkout__step">{step_view(&step, data.clone())}</div>
                                    <aside class="checkout__summary">
                                        <h2>"Souhrn"</h2>
                                        <Totals totals=data::totals(&data.checkout)/>
                                    </aside>
                                </div>
                            }.into_any(),
                            Ok(None) => view! { <EmptyCart/> }.into_any(),
                            Err(_) => view! { <p class="error">{NETWORK_ERROR}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
    .into_any()
}

fn step_view(step: &str, data: data::CartData) -> AnyView {
    let next = next_step(step);
    let cart_id = data.cart.id.clone();
    match step {
        "udaje" => contact::step(cart_id, &data, next).into_any(),
        "doprava" => delivery::shipping_step(cart_id, &data.checkout, next).into_any(),
        _ => delivery::payment_step(cart_id, &data.checkout, next).into_any(),
    }
}

/// The numbered steps, each a link (the server keeps what was entered).
#[component]
fn StepList(current: String) -> impl IntoView {
    view! {
        <ol class="steps">
            {STEPS.iter().map(|(step, title)| view! {
                <li class="steps__item" class:steps__item--current=current == *step>
                    <a href=format!("/pokladna/{step}") aria-current=(current == *step).then_some("step")>{*title}</a>
                </li>
            }).collect_view()}
        </ol>
    }
}
