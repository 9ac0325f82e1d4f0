//! The order's status and timeline, following changes live over the GraphQL WebSocket
//! (`graphql-transport-ws`): the server pushes each status change, whichever instance made it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{CancelOrder, cancel_order};
use crate::components::{NETWORK_ERROR, reload_to, submit};
use crate::time::prague;

/// A timeline entry as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    status: String,
    at: String,
    note: String,
}

impl Event {
    /// An entry for `status` (any operation's status enum) at `occurred_at`.
    pub fn new(status: &impl Serialize, occurred_at: &str, note: &str) -> Self {
        Self {
            status: status_name(status),
            at: prague(occurred_at),
            note: note.to_owned(),
        }
    }
}

/// The schema's name of a status (`PAID`, …). graphql_client generates a status enum for every
/// operation; the pages and islands pass the name along.
pub fn status_name(status: &impl Serialize) -> String {
    serde_json::to_string(status)
        .map(|name| name.trim_matches('"').to_owned())
        .unwrap_or_default()
}

/// What shoppers call a status.
pub fn status_label(status: &str) -> &str {
    match status {
        "PENDING_PAYMENT" => "Čeká na platbu",
        "PAID" => "Zaplaceno",
        "PROCESSING" => "Připravujeme",
        "SHIPPED" => "Odesláno",
        "DELIVERED" => "Doručeno",
        "CANCELLED" => "Zrušeno",
        "REFUNDED" => "Peníze vráceny",
        "PARTIALLY_REFUNDED" => "Část peněz vrácena",
        other => other,
    }
}

/// Statuses in which the customer may still cancel (before shipping).
const CANCELLABLE: [&str; 3] = ["PENDING_PAYMENT", "PAID", "PROCESSING"];

/// The status badge, the timeline and, for a signed-in owner, cancelling (an island): follows the
/// order's status changes.
#[island]
pub fn LiveTimeline(
    number: String,
    status: String,
    events: Vec<Event>,
    signed_in: bool,
) -> impl IntoView {
    let status = RwSignal::new(status);
    let events = RwSignal::new(events);
    let live = RwSignal::new(false);
    let cancellable = move || signed_in && CANCELLABLE.contains(&status.get().as_str());
    let cancel_number = number.clone();
    #[cfg(feature = "hydrate")]
    subscribe(
        number,
        move || live.set(true),
        move |event: Event| {
            status.set(event.status.clone());
            events.update(|list| list.push(event));
        },
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = number;
    view! {
        <p class="order__status">
            "Stav: " <strong class="badge" data-testid="order-status" data-status=move || status.get()>{move || status_label(&status.get()).to_owned()}</strong>
        </p>
        <ol class="timeline" data-testid="timeline" data-live=move || live.get().to_string()>
            {move || events.get().into_iter().map(|e| view! {
                <li class="timeline__item">
                    <time>{e.at}</time> " " <strong>{status_label(&e.status).to_owned()}</strong>
                    {(!e.note.is_empty()).then(|| view! { <span class="timeline__note">" – " {e.note}</span> })}
                </li>
            }).collect_view()}
        </ol>
        <Show when=cancellable>
            <CancelButton number=cancel_number.clone()/>
        </Show>
    }
}

/// "Zrušit objednávku": asks once more, cancels, and shows the order anew.
#[component]
fn CancelButton(number: String) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let asked = RwSignal::new(false);
    let number = StoredValue::new(number);
    let cancel = move |_| {
        if !asked.get_untracked() {
            return asked.set(true);
        }
        let number = number.get_value();
        let path = format!("/objednavka/{number}");
        submit::<CancelOrder>(
            cancel_order::Variables { number },
            move |result| match result {
                Ok(data) => match data.order_cancel.user_errors.into_iter().next() {
                    Some(e) => error.set(Some(e.message)),
                    None => reload_to(&path),
                },
                Err(_) => error.set(Some(NETWORK_ERROR.into())),
            },
        );
    };
    view! {
        <div class="order__cancel">
            <button class="button button--ghost" type="button" on:click=cancel data-testid="cancel-order">
                {move || if asked.get() { "Opravdu zrušit objednávku" } else { "Zrušit objednávku" }}
            </button>
            {move || error.get().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
        </div>
    }
}

/// Follows the order's status changes: `on_ready` once the subscription is asked for,
/// `on_change` with every change.
#[cfg(feature = "hydrate")]
fn subscribe(number: String, on_ready: impl Fn() + 'static, on_change: impl Fn(Event) + 'static) {
    use crate::api::{OrderStatus, order_status};
    crate::components::subscribe::<OrderStatus>(
        order_status::Variables { number },
        on_ready,
        move |data| {
            let change = data.order_status_changed;
            on_change(Event::new(&change.to_status, &change.occurred_at, ""));
        },
        || {},
    );
}
