//! How an order is paid: bank transfer instructions with the QR Platba code, card payment (and
//! trying again), the state after returning from the gateway, what was paid and refunded.

use leptos::prelude::*;

use crate::api::{PayOrder, order_page, pay_order};
use crate::components::{NETWORK_ERROR, reload_to, submit};

type Payment = order_page::OrderPagePayment;

/// The payment part of an order's page. `returned` says the shopper came back from the gateway.
#[component]
pub fn PaymentPanel(number: String, payment: Payment, returned: bool) -> impl IntoView {
    let card = matches!(payment.method, Some(order_page::PaymentMethod::CARD));
    let waiting_for_gateway = payment
        .attempts
        .last()
        .is_some_and(|a| matches!(a.status, order_page::PaymentStatus::PENDING));
    let transfer = payment.bank_transfer.clone();
    let payable = payment.payable;
    view! {
        <section class="payment" data-testid="payment">
            {transfer.map(|bank| view! {
                <div class="payment__transfer" data-testid="payment-instructions">
                    <div class="payment__qr" aria-hidden="false" inner_html=bank.qr_svg data-testid="payment-qr"></div>
                    <div>
                        <p>"Zaplaťte prosím převodem nebo naskenujte QR kód v aplikaci své banky:"</p>
                        <dl class="payment__facts">
                            <dt>"Číslo účtu"</dt><dd data-testid="payment-account">{bank.account_number}</dd>
                            <dt>"IBAN"</dt><dd>{bank.iban}</dd>
                            <dt>"Variabilní symbol"</dt><dd data-testid="payment-symbol">{bank.variable_symbol}</dd>
                            <dt>"Částka"</dt><dd data-testid="payment-amount">{bank.amount.formatted}</dd>
                        </dl>
                        <p>"Zboží odešleme po připsání platby, o tom vám dáme vědět e-mailem."</p>
                    </div>
                </div>
            })}
            {(payable && card && returned && waiting_for_gateway).then(|| view! {
                <p class="payment__pending" role="status" data-testid="payment-pending">
                    "Platbu ověřujeme u platební brány. Jakmile ji banka potvrdí, stránka se sama aktualizuje."
                </p>
            })}
            {payable.then(|| view! {
                <div class="payment__actions">
                    {card.then(|| view! {
                        <PayButton number=number.clone() by_card=true label=if payment.attempts.is_empty() { "Zaplatit kartou online".into() } else { "Zaplatit znovu".into() }/>
                    })}
                    <PayButton number=number.clone() by_card=false label=if card { "Zaplatit raději převodem".into() } else { String::new() }/>
                </div>
            })}
            {(payment.paid.minor_units > 0).then(|| view! {
                <p class="payment__paid" data-testid="payment-paid">"Zaplaceno: " {payment.paid.formatted}</p>
            })}
            {(payment.refunded.minor_units > 0).then(|| view! {
                <p class="payment__refunded">"Vráceno: " {payment.refunded.formatted}</p>
            })}
        </section>
    }
}

/// Pays the order by card (off to the gateway) or switches it to a transfer (the page reloads
/// with the instructions). An empty label hides the button.
#[island]
fn PayButton(number: String, by_card: bool, label: String) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let order = StoredValue::new(number);
    let pay = move |_| {
        let number = order.get_value();
        let page = format!("/objednavka/{number}");
        let method = if by_card {
            pay_order::PayWith::CARD
        } else {
            pay_order::PayWith::BANK_TRANSFER
        };
        busy.set(true);
        submit::<PayOrder>(pay_order::Variables { number, method }, move |result| {
            busy.set(false);
            match result.map(|data| data.order_pay) {
                Ok(paid) => match (paid.redirect_url, paid.user_errors.into_iter().next()) {
                    (_, Some(e)) => error.set(Some(e.message)),
                    (Some(url), None) => reload_to(&url),
                    (None, None) => reload_to(&page),
                },
                Err(_) => error.set(Some(NETWORK_ERROR.into())),
            }
        });
    };
    (!label.is_empty()).then(|| view! {
        {move || error.get().map(|message| view! { <p class="form__error" role="alert">{message}</p> })}
        <button class=if by_card { "button" } else { "button button--secondary" } type="button"
            data-testid=if by_card { "pay-card" } else { "pay-transfer" }
            disabled=move || busy.get() on:click=pay>
            {label.clone()}
        </button>
    })
}
