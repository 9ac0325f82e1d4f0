//! `/objednavka/<číslo>`: an order with its lines, prices, delivery and a timeline that follows
//! status changes live. After checkout it thanks the shopper and says how to pay.

mod live;
mod payment;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::NotFound;
use crate::api::{Client, OrderPage as OrderQuery, order_page, run};
use crate::components::{NETWORK_ERROR, PageMeta, Totals, TotalsView};
use live::{Event, LiveTimeline};
pub use live::{status_label, status_name};
use payment::PaymentPanel;

type Order = order_page::OrderPageOrder;

#[component]
pub fn OrderPage() -> impl IntoView {
    let number = use_params_map()
        .get_untracked()
        .get("number")
        .unwrap_or_default();
    let query = use_query_map().get_untracked();
    let just_placed = query.get("nova").is_some();
    let returned = query.get("platba").is_some();
    let client = Client::from_context();
    let query_number = number.clone();
    let data = Resource::new(
        || (),
        move |()| {
            let (client, number) = (client.clone(), query_number.clone());
            async move { run::<OrderQuery>(&client, order_page::Variables { number }).await }
        },
    );
    view! {
        <PageMeta title=format!("Objednávka {number}") description="Stav a obsah objednávky.".into() path=format!("/objednavka/{number}")/>
        <Suspense fallback=|| view! { <p class="loading">"Načítám…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(order_page::ResponseData { order: Some(order), me, payment, documents }) => {
                        let signed_in = me.is_some();
                        view! { <OrderView order payment documents just_placed returned signed_in/> }.into_any()
                    }
                    Ok(_) => view! { <NotFound/> }.into_any(),
                    Err(error) if error.is_not_found() => view! { <NotFound/> }.into_any(),
                    Err(_) => view! { <p class="error">{NETWORK_ERROR}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderView(
    order: Order,
    payment: order_page::OrderPagePayment,
    documents: Vec<order_page::OrderPageDocuments>,
    just_placed: bool,
    returned: bool,
    signed_in: bool,
) -> impl IntoView {
    let totals = totals(&order);
    let events: Vec<Event> = order
        .timeline
        .iter()
        .map(|e| Event::new(&e.to_status, &e.occurred_at, &e.note))
        .collect();
    let a = &order.shipping_address;
    let address = format!(
        "{} {}{}, {}, {} {}",
        a.first_name,
        a.last_name,
        a.company
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default(),
        a.street,
        a.postal_code,
        a.city
    );
    let status = status_name(&order.status);
    view! {
        <section class="order">
            {just_placed.then(|| view! {
                <div class="order__thanks" role="status" data-testid="order-thanks">
                    <h1>"Děkujeme za objednávku!"</h1>
                    <p>"Potvrzení jsme poslali na " <strong>{order.email.clone()}</strong> "."</p>
                </div>
            })}
            <h2 class="order__number">"Objednávka č. " <span data-testid="order-number">{order.number.clone()}</span></h2>
            <PaymentPanel number=order.number.clone() payment returned/>
            <LiveTimeline number=order.number.clone() status events signed_in/>
            <table class="order__lines table--stacked">
                <thead><tr><th>"Zboží"</th><th>"Kód"</th><th>"Počet"</th><th>"Cena za kus"</th><th>"Celkem"</th></tr></thead>
                <tbody>
                    {order.lines.into_iter().map(|line| view! {
                        <tr>
                            <td class="table__title">{line.product_name} " – " {line.variant_title}</td>
                            <td data-label="Kód">{line.sku}</td>
                            <td data-label="Počet">{line.quantity}</td>
                            <td data-label="Cena za kus">{line.unit_price.formatted}</td>
                            <td data-label="Celkem">{line.total.formatted}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="order__grid">
                <dl class="order__facts">
                    <dt>"Doručení"</dt><dd>{order.shipping_method_name} {order.pickup_point_name.map(|name| format!(": {name}, {}", order.pickup_point_address.unwrap_or_default()))}</dd>
                    <dt>"Adresa"</dt><dd>{address}</dd>
                    {order.billing_address.ico.map(|ico| view! { <dt>"IČO / DIČ"</dt><dd>{ico} {order.billing_address.dic.map(|d| format!(" / {d}"))}</dd> })}
                    <dt>"Platba"</dt><dd>{order.payment_method_name}</dd>
                    {order.tracking_number.map(|number| view! {
                        <dt>"Sledování zásilky"</dt>
                        <dd data-testid="tracking">{order.carrier.unwrap_or_default()} " " {number}</dd>
                    })}
                    {order.discount_code.map(|code| view! { <dt>"Slevový kód"</dt><dd>{code}</dd> })}
                </dl>
                <Totals totals/>
            </div>
            {(!documents.is_empty()).then(|| view! {
                <h3 class="order__documents-title">"Daňové doklady"</h3>
                <ul class="order__documents" data-testid="tax-documents">
                    {documents.into_iter().map(|d| view! {
                        <li><a href=d.pdf_url rel="nofollow">{d.title} " č. " {d.number} " (PDF)"</a></li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

fn totals(o: &Order) -> TotalsView {
    TotalsView {
        rows: vec![("Zboží", o.subtotal.formatted.clone())],
        vat: o
            .vat_breakdown
            .iter()
            .map(|v| (v.rate, v.net.formatted.clone(), v.vat.formatted.clone()))
            .collect(),
        total: o.total.formatted.clone(),
    }
    .discount_row(o.discount.minor_units, &o.discount.formatted)
    .with_row(
        "Doprava",
        crate::czech::price_or_free(o.shipping.minor_units, &o.shipping.formatted),
    )
    .optional_row(
        "Dobírka",
        o.payment_fee.minor_units,
        &o.payment_fee.formatted,
    )
    .optional_row(
        super::checkout::data::ROUNDING,
        o.rounding.minor_units,
        &o.rounding.formatted,
    )
}
