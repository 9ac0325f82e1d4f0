//! The page footer.

use leptos::prelude::*;

use super::meta::SHOP_NAME;

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p>
                    <strong>{SHOP_NAME}</strong>
                    " – obchod pro celý domov. Ceny jsou uvedeny včetně DPH."
                </p>
                <p>"Doprava zdarma od 1 500 Kč · Vrácení do 14 dnů bez udání důvodu"</p>
                <nav class="site-footer__links" aria-label="Informace">
                    <ul>
                        {crate::pages::LEGAL_PAGES
                            .into_iter()
                            .map(|page| view! { <li><a href=page.path>{page.title}</a></li> })
                            .collect_view()}
                        <li><a href="/kontakt">"Kontakt"</a></li>
                    </ul>
                </nav>
            </div>
            <HydrationMarker/>
        </footer>
    }
}

/// The page's last island: islands hydrate in document order, so when this one runs, every
/// island of the page is interactive. Marks the body for browser tests and monitoring.
#[island]
fn HydrationMarker() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
