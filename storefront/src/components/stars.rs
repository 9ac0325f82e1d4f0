//! A rating as stars: "★★★★☆ 4,3 (12 hodnocení)".

use leptos::prelude::*;

/// `average` stars of five, shown to the nearest whole star, with the number and, when given,
/// how many ratings it averages.
#[component]
pub fn Stars(average: f64, #[prop(optional)] count: Option<i64>) -> impl IntoView {
    let whole = average.round().clamp(0.0, 5.0) as usize;
    let shown = format!("{}{}", "★".repeat(whole), "☆".repeat(5 - whole));
    let number = format!("{average:.1}").replace('.', ",");
    view! {
        <span class="stars" title=format!("{number} z 5")>
            <span class="stars__icons" aria-hidden="true">{shown}</span>
            <span class="visually-hidden">{format!("Hodnocení {number} z 5")}</span>
            " " <span class="stars__number" aria-hidden="true">{number.clone()}</span>
            {count.map(|count| view! { " " <span class="stars__count">{format!("({})", crate::czech::count(count, crate::czech::RATINGS))}</span> })}
        </span>
    }
}
