//! The Zásilkovna pickup point picker: search by city, street or PSČ, or nearest to where the
//! shopper is (when the browser shares it), with each point's address and opening hours.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{Client, PickupPoints, pickup_points, run};
use crate::components::{FieldErrors, Latest};

/// Points listed at a time.
const SHOWN: i64 = 8;

/// A point as the picker shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointView {
    pub id: String,
    pub name: String,
    pub address: String,
    pub hours: String,
    /// "350 m", "2,4 km" from the shopper.
    pub distance: Option<String>,
}

impl From<pickup_points::PickupPointsPickupPoints> for PointView {
    fn from(p: pickup_points::PickupPointsPickupPoints) -> Self {
        Self {
            id: p.id,
            name: p.name,
            address: p.address,
            hours: p.opening_hours,
            distance: p.distance.map(distance),
        }
    }
}

/// Metres as Czech writes a distance.
fn distance(metres: i64) -> String {
    if metres < 1000 {
        format!("{metres}\u{a0}m")
    } else {
        format!("{},{}\u{a0}km", metres / 1000, (metres % 1000) / 100)
    }
}

/// The picker; `chosen` is the id of the chosen point, `initial` the point chosen before.
#[component]
pub fn PickupPointPicker(
    chosen: RwSignal<String>,
    initial: Option<PointView>,
    errors: RwSignal<FieldErrors>,
) -> impl IntoView {
    let results = RwSignal::new(initial.into_iter().collect::<Vec<_>>());
    let status = RwSignal::new(None::<&'static str>);
    let latest = Latest::default();
    let client = StoredValue::new(Client::from_context());
    let find = move |search: String, near: Option<(f64, f64)>| {
        latest.after_quiet(move |ticket| {
            let variables = pickup_points::Variables {
                search,
                near: near.map(|(latitude, longitude)| pickup_points::GeoPointInput {
                    latitude,
                    longitude,
                }),
                first: SHOWN,
            };
            let client = client.get_value();
            leptos::task::spawn_local(async move {
                let answer = run::<PickupPoints>(&client, variables).await;
                if !latest.is_current(ticket) {
                    return;
                }
                match answer {
                    Ok(data) if data.pickup_points.is_empty() => {
                        results.set(Vec::new());
                        status.set(Some(
                            "Žádné výdejní místo neodpovídá. Zkuste město nebo PSČ.",
                        ));
                    }
                    Ok(data) => {
                        results.set(
                            data.pickup_points
                                .into_iter()
                                .map(PointView::from)
                                .collect(),
                        );
                        status.set(None);
                    }
                    Err(_) => status.set(Some(crate::components::NETWORK_ERROR)),
                }
            });
        });
    };
    let on_search = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if text.trim().chars().count() >= 2 {
            find(text, None);
        }
    };
    let nearest = move |_| {
        status.set(Some("Zjišťuji vaši polohu…"));
        locate(move |position| match position {
            Some(near) => find(String::new(), Some(near)),
            None => status.set(Some(
                "Polohu se nepodařilo zjistit. Napište město, ulici nebo PSČ.",
            )),
        });
    };
    let error = move || errors.with(|e| e.get("pickupPointId"));
    view! {
        <fieldset class="pickup" data-testid="pickup-picker">
            <legend>"Výdejní místo Zásilkovny"</legend>
            <div class="pickup__search">
                <input
                    class="field__input"
                    type="search"
                    name="pickupSearch"
                    placeholder="Město, ulice nebo PSČ"
                    aria-label="Hledat výdejní místo podle města, ulice nebo PSČ"
                    autocomplete="off"
                    on:input=on_search
                />
                <button class="button button--ghost button--small" type="button" on:click=nearest>"Nejblíž mně"</button>
            </div>
            <p class="pickup__status" role="status">{move || status.get()}</p>
            <ul class="pickup__list">
                <For each=move || results.get() key=|p| p.id.clone() let:point>
                    <li>
                        <label class="pickup__point">
                            <input
                                type="radio"
                                name="pickupPointId"
                                value=point.id.clone()
                                prop:checked={
                                    let id = point.id.clone();
                                    move || chosen.with(|c| *c == id)
                                }
                                on:change={
                                    let id = point.id.clone();
                                    move |_| chosen.set(id.clone())
                                }
                            />
                            <span>
                                <strong>{point.name.clone()}</strong>
                                <span class="pickup__address">{point.address.clone()}</span>
                                <span class="pickup__hours">{point.hours.clone()}</span>
                            </span>
                            <span class="pickup__distance">{point.distance.clone()}</span>
                        </label>
                    </li>
                </For>
            </ul>
            {move || error().map(|message| view! { <p class="field__error" role="alert">{message}</p> })}
        </fieldset>
    }
}

/// Asks the browser where the shopper is; `done` gets (latitude, longitude), or `None` when
/// the shopper declines or the browser cannot tell.
fn locate(done: impl Fn(Option<(f64, f64)>) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use std::rc::Rc;
        use wasm_bindgen::{JsCast, closure::Closure};
        let done = Rc::new(done);
        let geolocation = web_sys::window().and_then(|w| w.navigator().geolocation().ok());
        let Some(geolocation) = geolocation else {
            return done(None);
        };
        let found = {
            let done = done.clone();
            Closure::once_into_js(move |position: web_sys::Position| {
                let c = position.coords();
                done(Some((c.latitude(), c.longitude())));
            })
        };
        let failed = {
            let done = done.clone();
            Closure::once_into_js(move |_: wasm_bindgen::JsValue| done(None))
        };
        if geolocation
            .get_current_position_with_error_callback(
                found.unchecked_ref(),
                Some(failed.unchecked_ref()),
            )
            .is_err()
        {
            done(None);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    done(None);
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distances_in_czech() {
        assert_eq!(distance(350), "350\u{a0}m");
        assert_eq!(distance(2_480), "2,4\u{a0}km");
    }
}
