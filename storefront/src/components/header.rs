//! The page header: logo, category navigation and search.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::add_to_cart::{MiniCart, free_shipping_note};
use super::icon::{Icon, PERSON};
use super::meta::SHOP_NAME;
use super::search_box::SearchBox;
use crate::api::{Client, Navigation, navigation, run};

#[component]
pub fn Header() -> impl IntoView {
    let client = Client::from_context();
    let navigation = Resource::new(
        || (),
        move |()| {
            let client = client.clone();
            async move { run::<Navigation>(&client, navigation::Variables {}).await }
        },
    );
    view! {
        <header class="site-header">
            <div class="site-header__bar">
                <a class="logo" href="/">{SHOP_NAME}</a>
                <SearchBox initial=use_query_map().get_untracked().get("q").unwrap_or_default()/>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let data = navigation.await.ok();
                        let name = data.as_ref().and_then(|d| d.me.as_ref()).map(|me| me.first_name.clone());
                        let (quantity, total, free_shipping) = data
                            .and_then(|d| d.current_checkout)
                            .map(|c| {
                                let missing = c.amount_to_free_shipping;
                                (c.total_quantity, c.goods_total.formatted, free_shipping_note(missing.minor_units, &missing.formatted))
                            })
                            .unwrap_or_default();
                        let (href, label) = match &name {
                            Some(name) => ("/ucet", name.clone()),
                            None => ("/prihlaseni", "Přihlásit".to_owned()),
                        };
                        let aria_label = label.clone();
                        let account = view! {
                            <a class="account-link" href=href data-testid=name.is_some().then_some("account-link") aria-label=aria_label>
                                <Icon path=PERSON/>
                                <span class="account-link__label">{label}</span>
                            </a>
                        };
                        view! { {account} <MiniCart quantity total free_shipping/> }
                    })}
                </Suspense>
            </div>
            <nav class="category-nav" aria-label="Kategorie">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let tree = navigation.await.map(|data| data.categories).unwrap_or_default();
                        view! {
                            <ul class="category-nav__list">
                                {tree
                                    .into_iter()
                                    .map(|top| {
                                        view! {
                                            <li class="category-nav__item">
                                                <a href=format!("/c/{}", top.slug)>{top.name}</a>
                                                <ul class="category-nav__children">
                                                    {top
                                                        .children
                                                        .into_iter()
                                                        .map(|child| {
                                                            view! {
                                                                <li>
                                                                    <a href=format!("/c/{}", child.slug)>{child.name}</a>
                                                                </li>
                                                            }
                                                        })
                                                        .collect_view()}
                                                </ul>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
                </Suspense>
            </nav>
        </header>
    }
}
