//! The document shell, the router and the page layout.

use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::components::{AssistantPanel, Footer, Header};
use crate::pages::{
    AccountPage, CartPage, CategoryPage, CheckoutPage, ContactPage, ForgotPasswordPage, HomePage,
    LegalPage, NotFound, OrderPage, ProductPage, RegisterPage, ResetPasswordPage, SearchPage,
    SignInPage, WatchCancelPage, WatchConfirmPage, WatchdogPage,
};

/// The shop's public origin (e.g. `https://shop.example.cz`), for canonical links and JSON-LD.
#[derive(Clone, Debug)]
pub struct SiteUrl(pub String);

impl SiteUrl {
    /// From the server's context during SSR, from the address bar in the browser.
    pub fn current() -> String {
        if let Some(site) = use_context::<SiteUrl>() {
            return site.0;
        }
        #[cfg(feature = "hydrate")]
        if let Some(origin) = web_sys::window().and_then(|w| w.location().origin().ok()) {
            return origin;
        }
        String::new()
    }
}

/// The stylesheet's address: `/pkg/shop.<hash>.css` when the build named the files by their
/// content (then they are cached for a year), else `/pkg/shop.css`.
fn stylesheet(options: &LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hash = options
            .hash_files
            .then(|| std::fs::read_to_string(options.hash_file.as_ref()).ok())
            .flatten()
            .and_then(|hashes| {
                hashes.lines().find_map(|line| {
                    let (file, hash) = line.split_once(':')?;
                    (file.trim() == "css").then(|| hash.trim().to_owned())
                })
            });
        match hash {
            Some(hash) => format!("/pkg/shop.{hash}.css"),
            None => "/pkg/shop.css".to_owned(),
        }
    })
    .clone()
}

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="cs">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0f5132"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <link rel="stylesheet" id="shop-css" href=stylesheet(&options)/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The storefront: header, the routed page, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <a class="skip-link" href="#obsah">"Přeskočit na obsah"</a>
            <Header/>
            <main class="page" id="obsah" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:slug") view=CategoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/p/:slug") view=ProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/hledat") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/prihlaseni") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/registrace") view=RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/zapomenute-heslo") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/obnova-hesla") view=ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/ucet") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/kosik") view=CartPage ssr=SsrMode::Async/>
                    <Route path=path!("/pokladna/:krok") view=CheckoutPage ssr=SsrMode::Async/>
                    <Route path=path!("/objednavka/:number") view=OrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/obchodni-podminky") view=LegalPage ssr=SsrMode::Async/>
                    <Route path=path!("/reklamacni-rad") view=LegalPage ssr=SsrMode::Async/>
                    <Route path=path!("/odstoupeni-od-smlouvy") view=LegalPage ssr=SsrMode::Async/>
                    <Route path=path!("/ochrana-osobnich-udaju") view=LegalPage ssr=SsrMode::Async/>
                    <Route path=path!("/kontakt") view=ContactPage ssr=SsrMode::Async/>
                    <Route path=path!("/hlidaci-pes") view=WatchdogPage ssr=SsrMode::Async/>
                    <Route path=path!("/hlidaci-pes/potvrdit") view=WatchConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/hlidaci-pes/zrusit") view=WatchCancelPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
            <AssistantPanel/>
        </Router>
    }
}
