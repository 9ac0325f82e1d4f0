//! The 404 page, answered with status 404.

use leptos::prelude::*;

use crate::components::{PageMeta, set_status};

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <PageMeta
            title="Stránka nenalezena".into()
            description="Tuto stránku jsme nenašli.".into()
            path="/404".into()
        />
        <section class="not-found">
            <p class="not-found__code">"404"</p>
            <h1>"Tuhle stránku jsme nenašli"</h1>
            <p>"Možná byla přesunuta, nebo se v adrese skrývá překlep. Zkuste vyhledávání, nebo se vraťte na úvod."</p>
            <a class="button" href="/">"Zpět na úvodní stránku"</a>
        </section>
    }
}
