//! "Hlídací pes" on the product page: watch the chosen variant's price or stock.

use leptos::prelude::*;

use super::product::VariantView;
use crate::api::{WatchCreate, watch_create};
use crate::components::{Field, FieldErrors, FormMessage, NETWORK_ERROR, submit};
use crate::user_errors;

/// The watch form for the variant chosen in the buy box (part of its island).
#[component]
pub fn WatchForm(variant: Signal<Option<VariantView>>) -> impl IntoView {
    let back_in_stock = RwSignal::new(false);
    Effect::new(move || {
        back_in_stock.set(variant.with(|v| v.as_ref().is_some_and(|v| !v.available)))
    });
    let price = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::default());
    let outcome = RwSignal::new(None::<String>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = variant.get_untracked() else {
            return;
        };
        let (kind, price_below) = if back_in_stock.get_untracked() {
            (watch_create::WatchKind::BACK_IN_STOCK, None)
        } else {
            let crowns = price
                .get_untracked()
                .trim()
                .replace(' ', "")
                .replace(',', ".");
            match crowns
                .parse::<f64>()
                .ok()
                .filter(|p| p.is_finite() && *p > 0.0)
            {
                Some(crowns) => (
                    watch_create::WatchKind::PRICE_BELOW,
                    Some((crowns * 100.0).round() as i64),
                ),
                None => {
                    return errors.set(FieldErrors(vec![(
                        "priceBelow".into(),
                        "Zadejte cenu v korunách.".into(),
                    )]));
                }
            }
        };
        let typed = email.get_untracked();
        let input = watch_create::WatchCreateInput {
            variant_id: chosen.id,
            kind,
            price_below,
            email: (!typed.trim().is_empty()).then_some(typed),
        };
        submit::<WatchCreate>(
            watch_create::Variables { input },
            move |result| match result {
                Ok(data) => match (
                    data.watch_create.watch,
                    data.watch_create.user_errors.is_empty(),
                ) {
                    (Some(watch), true) if watch.confirmed => {
                        outcome.set(Some(format!("Hlídáme. Napíšeme vám na {}.", watch.email)));
                    }
                    (Some(watch), true) => outcome.set(Some(format!(
                        "Poslali jsme e-mail na {}. Hlídání začne, až potvrdíte odkaz v něm.",
                        watch.email
                    ))),
                    _ => errors.set(user_errors!(data.watch_create.user_errors)),
                },
                Err(_) => errors.set(FieldErrors(vec![(String::new(), NETWORK_ERROR.into())])),
            },
        );
    };
    view! {
        <details class="watch" data-testid="watchdog-form">
            <summary>"Hlídací pes – cena nebo dostupnost"</summary>
            {move || match outcome.get() {
                Some(message) => view! { <p class="form__success" role="status">{message}</p> }.into_any(),
                None => view! {
                    <form class="form watch__form" on:submit=send novalidate>
                        <FormMessage errors/>
                        <fieldset class="choices">
                            <legend class="visually-hidden">"Co hlídat"</legend>
                            <label class="checkbox">
                                <input type="radio" name="watchKind" prop:checked=move || !back_in_stock.get() on:change=move |_| back_in_stock.set(false)/>
                                "Hlídat cenu"
                            </label>
                            <label class="checkbox">
                                <input type="radio" name="watchKind" prop:checked=move || back_in_stock.get() on:change=move |_| back_in_stock.set(true)/>
                                "Hlídat dostupnost"
                            </label>
                        </fieldset>
                        <Show when=move || !back_in_stock.get()>
                            <Field label="Upozornit při ceně nejvýš (Kč)" name="priceBelow" value=price errors kind="text" inputmode="decimal"/>
                        </Show>
                        <Field label="E-mail (přihlášení nemusí vyplňovat)" name="email" value=email errors kind="email" autocomplete="email"/>
                        <button class="button button--ghost" type="submit">"Hlídat"</button>
                    </form>
                }.into_any(),
            }}
        </details>
    }
}
