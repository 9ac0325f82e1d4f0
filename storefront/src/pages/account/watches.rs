//! The account's "Hlídací pes": the customer's watches, each with a cancel button.

use leptos::prelude::*;

use crate::api::{CancelWatch, Client, MyWatches, cancel_watch, my_watches, run};
use crate::components::{NETWORK_ERROR, reload_to, submit};

/// The watches section of `/ucet`.
#[component]
pub fn Watches() -> impl IntoView {
    let client = Client::from_context();
    let data = Resource::new(
        || (),
        move |()| {
            let client = client.clone();
            async move { run::<MyWatches>(&client, my_watches::Variables {}).await }
        },
    );
    view! {
        <h2>"Hlídací pes"</h2>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) if data.my_watches.is_empty() => view! {
                        <p>"Nic nehlídáte. Hlídat cenu nebo dostupnost můžete u každého zboží."</p>
                    }.into_any(),
                    Ok(data) => view! {
                        <ul class="watches" data-testid="my-watches">
                            {data.my_watches.into_iter().map(|w| {
                                let what = match (&w.kind, &w.price_below) {
                                    (my_watches::WatchKind::PRICE_BELOW, Some(price)) => format!("cena nejvýš {}", price.formatted),
                                    _ => "dostupnost".to_owned(),
                                };
                                let (name, href) = w.variant.and_then(|v| {
                                    let product = v.product?;
                                    Some((format!("{} ({})", product.name, v.title), format!("/p/{}", product.slug)))
                                }).unwrap_or_default();
                                view! {
                                    <li class="watches__item">
                                        <a href=href>{name}</a>
                                        <span>{what}</span>
                                        <CancelButton id=w.id/>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(_) => view! { <p class="error">{NETWORK_ERROR}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Ends one watch (an island), then reloads the account.
#[island]
fn CancelButton(id: String) -> impl IntoView {
    let failed = RwSignal::new(false);
    let id = StoredValue::new(id);
    let cancel = move |_| {
        submit::<CancelWatch>(
            cancel_watch::Variables { id: id.get_value() },
            move |result| match result {
                Ok(data) if data.watch_cancel.cancelled => reload_to("/ucet"),
                _ => failed.set(true),
            },
        );
    };
    view! {
        <button class="button button--small button--ghost" type="button" on:click=cancel>"Zrušit"</button>
        {move || failed.get().then(|| view! { <span class="field__error" role="alert">{NETWORK_ERROR}</span> })}
    }
}
