//! The rules of payments: starting a card payment, acting on the gateway's word, booking bank
//! transfers, recording payments by hand, refunds. Every movement of money is a ledger entry
//! with a unique reference, so the same money is never counted twice, whatever repeats.

use chrono::Utc;
use sqlx::{PgPool, Postgres, Transaction};

use super::fio::Movement;
use super::provider::{
    Buyer, Product, RefundRequest, RemoteRefundState, RemoteState, StartRequest,
};
use super::status::{Channel, MovementOutcome, PaymentStatus, RefundStatus};
use super::store::{self, EntryKind, LedgerEntry};
use super::{PaymentError, Payments};
use crate::delivery::PaymentMethod;
use crate::mail::{outbox, templates};
use crate::orders::live::OrderStatusChange;
use crate::orders::service::{Actor, change_status_in};
use crate::orders::status::OrderStatus;
use crate::orders::store::{self as orders, Order};

/// How long an open attempt's payment page is offered again instead of a new attempt.
const REUSE_ATTEMPT: chrono::Duration = chrono::Duration::minutes(10);

/// Starts a card payment of what an unpaid order still owes; returns where the shopper pays.
/// Each attempt extends the order's payment window.
pub(crate) async fn pay_by_card(
    pool: &PgPool,
    payments: &Payments,
    number: &str,
    customer_ip: &str,
) -> Result<String, PaymentError> {
    let mut tx = pool.begin().await?;
    let (order, due) = payable(&mut tx, number).await?;
    let until = payments.windows().due(PaymentMethod::Card, Utc::now());
    if let Some(until) = until {
        orders::set_payment_terms(&mut tx, order.id, PaymentMethod::Card.code(), until).await?;
    }
    // One open attempt at a time: a second click goes to the same payment, never a second one.
    if let Some(open) = store::attempts_of(&mut *tx, order.id).await?.pop() {
        let age = Utc::now() - open.updated_at;
        match (open.status, open.redirect_url) {
            (PaymentStatus::Started, _) if age < chrono::Duration::seconds(60) => {
                return Err(PaymentError::InProgress);
            }
            (PaymentStatus::Pending, Some(url)) if open.amount == due && age < REUSE_ATTEMPT => {
                tx.commit().await?;
                return Ok(url);
            }
            _ => {}
        }
    }
    let (payment_id, attempt) = store::insert_attempt(&mut tx, order.id, due).await?;
    let lines = orders::lines_of(&mut *tx, &[order.id]).await?;
    tx.commit().await?;
    let request = StartRequest {
        external_id: format!("{number}-{attempt}"),
        amount: due,
        currency: "CZK",
        description: format!("Objednávka {number}"),
        notify_url: format!("{}/webhooks/payu", payments.public_url),
        continue_url: format!("{}/objednavka/{number}?platba=1", payments.public_url),
        customer_ip: customer_ip.to_owned(),
        buyer: Buyer {
            email: order.email.clone(),
            first_name: order.billing_address.first_name.clone(),
            last_name: order.billing_address.last_name.clone(),
            phone: order.billing_address.phone.clone(),
        },
        products: receipt(&order, &lines, due),
    };
    match payments.provider.start(&request).await {
        Ok(started) => {
            store::set_started(
                pool,
                payment_id,
                &started.provider_id,
                &started.redirect_url,
            )
            .await?;
            Ok(started.redirect_url)
        }
        Err(error) => {
            tracing::warn!(order = number, %error, "the payment gateway did not start a payment");
            store::set_status(pool, payment_id, PaymentStatus::Canceled, "NOT_STARTED").await?;
            Err(PaymentError::GatewayUnavailable(error))
        }
    }
}

/// Switches an unpaid order to bank transfer; the transfer window starts again.
pub(crate) async fn pay_by_transfer(
    pool: &PgPool,
    payments: &Payments,
    number: &str,
) -> Result<(), PaymentError> {
    let mut tx = pool.begin().await?;
    let (order, _) = payable(&mut tx, number).await?;
    let method = PaymentMethod::BankTransfer;
    if let Some(until) = payments.windows().due(method, Utc::now()) {
        orders::set_payment_terms(&mut tx, order.id, method.code(), until).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The order `number`, locked until the transaction ends.
async fn lock_order(
    tx: &mut Transaction<'_, Postgres>,
    number: &str,
) -> Result<Order, PaymentError> {
    orders::by_number_for_update(tx, number)
        .await?
        .map(|(order, _)| order)
        .ok_or_else(|| PaymentError::OrderNotFound(number.to_owned()))
}

/// The order, locked, and what it still owes, if it waits for a payment.
async fn payable(
    tx: &mut Transaction<'_, Postgres>,
    number: &str,
) -> Result<(Order, i64), PaymentError> {
    let order = lock_order(tx, number).await?;
    let sums = store::sums(&mut **tx, order.id).await?;
    let due = order.total - sums.paid + sums.refunded;
    if order.status != OrderStatus::PendingPayment || due <= 0 {
        return Err(PaymentError::NotPayable);
    }
    Ok((order, due))
}

/// The gateway's receipt: the order's lines, or one line when only part is still due.
fn receipt(order: &Order, lines: &[orders::OrderLine], due: i64) -> Vec<Product> {
    if due != order.total || lines.is_empty() {
        return vec![Product {
            name: format!("Objednávka {}", order.number),
            unit_price: due,
            quantity: 1,
        }];
    }
    let mut products: Vec<Product> = lines
        .iter()
        .map(|line| Product {
            name: line.product_name.clone(),
            unit_price: line.unit_price,
            quantity: line.quantity,
        })
        .collect();
    let goods: i64 = lines.iter().map(|l| l.total).sum();
    if order.total != goods {
        // Shipping, fees and discounts as one line, so the receipt adds up to the total.
        products.push(Product {
            name: "Doprava, poplatky a slevy".into(),
            unit_price: order.total - goods,
            quantity: 1,
        });
    }
    products
}

/// Acts on a gateway notification: its signature is checked over the raw body first, then the
/// payment's state is read from the gateway and applied. Returns the order's status change.
pub(crate) async fn on_notification(
    pool: &PgPool,
    payments: &Payments,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Option<OrderStatusChange>, PaymentError> {
    let provider_id = payments
        .provider
        .verify_notification(signature, body)
        .ok_or(PaymentError::InvalidSignature)?;
    sync(pool, payments, &provider_id).await
}

/// Reads a payment's state from the gateway and applies it once: a completed payment is booked
/// (and a payment of a cancelled order refunded), a cancelled one closed. Repeats and late,
/// out-of-order states change nothing.
pub(crate) async fn sync(
    pool: &PgPool,
    payments: &Payments,
    provider_id: &str,
) -> Result<Option<OrderStatusChange>, PaymentError> {
    let known = store::by_provider_id(pool, provider_id)
        .await?
        .ok_or_else(|| PaymentError::UnknownPayment(provider_id.to_owned()))?;
    if known.status.is_final() {
        return Ok(None);
    }
    let remote = payments
        .provider
        .status(provider_id)
        .await
        .map_err(PaymentError::GatewayUnavailable)?;
    let mut tx = pool.begin().await?;
    let order = lock_order(&mut tx, &known.order_number).await?;
    let payment = store::lock(&mut tx, known.id).await?;
    if payment.status.is_final() {
        return Ok(None);
    }
    let mut change = None;
    // Money to send back once committed: a payment of a cancelled order, or a second payment.
    let mut give_back: Option<(i64, &str)> = None;
    match remote.state {
        RemoteState::Completed
            if remote.amount != payment.amount || remote.currency != payment.currency =>
        {
            tracing::error!(
                order = %payment.order_number, provider_id, remote.amount, %remote.currency,
                expected = payment.amount, "a gateway payment does not match its attempt; left for an admin"
            );
            store::set_status(
                &mut *tx,
                payment.id,
                PaymentStatus::Pending,
                "AMOUNT_MISMATCH",
            )
            .await?;
        }
        RemoteState::Completed => {
            store::set_status(
                &mut *tx,
                payment.id,
                PaymentStatus::Completed,
                &remote.raw_status,
            )
            .await?;
            let reference = format!("payu:{provider_id}");
            let entry = LedgerEntry {
                order_id: payment.order_id,
                kind: EntryKind::Payment,
                channel: Channel::Payu,
                amount: payment.amount,
                reference: &reference,
                note: "",
                recorded_by: None,
            };
            if store::record(&mut tx, &entry).await? {
                match settle(&mut tx, &payment.order_number).await? {
                    Settled::Changed(moved) => change = Some(moved),
                    Settled::Late => {
                        give_back = Some((payment.amount, "Platba přišla po zrušení objednávky"));
                    }
                    Settled::Unchanged => {
                        let sums = store::sums(&mut *tx, payment.order_id).await?;
                        let excess = sums.paid - sums.refunded - sums.refunding - order.total;
                        if excess > 0 {
                            give_back =
                                Some((excess.min(payment.amount), "Objednávka zaplacena dvakrát"));
                        }
                    }
                }
            }
        }
        RemoteState::Canceled => {
            store::set_status(
                &mut *tx,
                payment.id,
                PaymentStatus::Canceled,
                &remote.raw_status,
            )
            .await?;
            if order.status == OrderStatus::PendingPayment {
                let email =
                    templates::payment_failed(&order.email, &order.number, &payments.public_url);
                outbox::enqueue(&mut *tx, &email).await?;
            }
        }
        RemoteState::Pending => {
            store::set_status(
                &mut *tx,
                payment.id,
                PaymentStatus::Pending,
                &remote.raw_status,
            )
            .await?;
        }
    }
    tx.commit().await?;
    if let Some((amount, reason)) = give_back {
        tracing::warn!(order = %payment.order_number, amount, reason, "refunding a card payment the order does not need");
        refund(pool, payments, &payment.order_number, amount, reason, None).await?;
    }
    Ok(change)
}

/// What a booked payment did to its order.
enum Settled {
    /// It paid the order: the order moved to `PAID`.
    Changed(OrderStatusChange),
    /// The order was cancelled before: it is flagged for admins.
    Late,
    /// Nothing to do (partly paid, or already further along).
    Unchanged,
}

/// After money came in: a fully paid order waiting for payment becomes `PAID`; a cancelled one
/// is flagged.
async fn settle(tx: &mut Transaction<'_, Postgres>, number: &str) -> Result<Settled, PaymentError> {
    let order = lock_order(tx, number).await?;
    let sums = store::sums(&mut **tx, order.id).await?;
    match order.status {
        OrderStatus::PendingPayment if sums.paid - sums.refunded >= order.total => {
            let change =
                change_status_in(tx, number, OrderStatus::Paid, Actor::System, "Zaplaceno").await?;
            let email = templates::payment_received(&order.email, number, sums.paid);
            outbox::enqueue(&mut **tx, &email).await?;
            Ok(Settled::Changed(change))
        }
        OrderStatus::Cancelled => {
            orders::flag_paid_late(tx, order.id).await?;
            Ok(Settled::Late)
        }
        _ => Ok(Settled::Unchanged),
    }
}

/// Books incoming bank movements, each once, matched to orders by variable symbol and amount.
/// Returns what became of each new one and the status changes to announce.
pub(crate) async fn book_movements(
    pool: &PgPool,
    movements: &[Movement],
) -> Result<(Vec<MovementOutcome>, Vec<OrderStatusChange>), PaymentError> {
    let mut outcomes = Vec::new();
    let mut changes = Vec::new();
    for movement in movements.iter().filter(|m| m.amount > 0) {
        if store::movement_seen(pool, &movement.id).await? {
            continue;
        }
        let mut tx = pool.begin().await?;
        let order = match movement.variable_symbol.as_deref() {
            _ if movement.currency != "CZK" => None,
            Some(symbol) => orders::by_number_for_update(&mut tx, symbol.trim_start_matches('0'))
                .await?
                .map(|(order, _)| order),
            None => None,
        };
        let Some(order) = order else {
            let outcome = if movement.currency != "CZK" {
                MovementOutcome::ForeignCurrency
            } else {
                MovementOutcome::UnknownSymbol
            };
            if store::insert_movement(&mut tx, movement, None, outcome).await? {
                tx.commit().await?;
                tracing::warn!(movement = %movement.id, ?outcome, "a bank movement needs an admin");
                outcomes.push(outcome);
            }
            continue;
        };
        let before = store::sums(&mut *tx, order.id).await?;
        let owed = order.total - before.paid + before.refunded;
        let outcome = match order.status {
            OrderStatus::Cancelled => MovementOutcome::Late,
            _ if movement.amount < owed => MovementOutcome::Underpaid,
            _ if movement.amount == owed => MovementOutcome::Paid,
            _ => MovementOutcome::Overpaid,
        };
        if !store::insert_movement(&mut tx, movement, Some(order.id), outcome).await? {
            continue;
        }
        let reference = format!("fio:{}", movement.id);
        let entry = LedgerEntry {
            order_id: order.id,
            kind: EntryKind::Payment,
            channel: Channel::BankTransfer,
            amount: movement.amount,
            reference: &reference,
            note: movement.message.as_deref().unwrap_or(""),
            recorded_by: None,
        };
        store::record(&mut tx, &entry).await?;
        if let Settled::Changed(change) = settle(&mut tx, &order.number).await? {
            changes.push(change);
        }
        tx.commit().await?;
        outcomes.push(outcome);
    }
    Ok((outcomes, changes))
}

/// Records money an admin received (a transfer the bank did not report, cash from the
/// carrier).
pub(crate) async fn record_payment(
    pool: &PgPool,
    number: &str,
    channel: Channel,
    amount: i64,
    note: &str,
    admin: i64,
) -> Result<Option<OrderStatusChange>, PaymentError> {
    if amount <= 0 {
        return Err(PaymentError::InvalidAmount);
    }
    let mut tx = pool.begin().await?;
    let order = lock_order(&mut tx, number).await?;
    let reference = format!("manual:{}", uuid::Uuid::new_v4());
    let entry = LedgerEntry {
        order_id: order.id,
        kind: EntryKind::Payment,
        channel,
        amount,
        reference: &reference,
        note,
        recorded_by: Some(admin),
    };
    store::record(&mut tx, &entry).await?;
    let change = match settle(&mut tx, number).await? {
        Settled::Changed(change) => Some(change),
        Settled::Late | Settled::Unchanged => None,
    };
    tx.commit().await?;
    Ok(change)
}

/// Refunds `amount` of an order, never more than was paid and not yet refunded (refunds on
/// their way count). A card payment is refunded through the gateway and followed until it is
/// final; other money an admin sends back, so it is booked at once.
pub(crate) async fn refund(
    pool: &PgPool,
    payments: &Payments,
    number: &str,
    amount: i64,
    reason: &str,
    admin: Option<i64>,
) -> Result<store::Refund, PaymentError> {
    if amount <= 0 {
        return Err(PaymentError::InvalidAmount);
    }
    let mut tx = pool.begin().await?;
    let order = lock_order(&mut tx, number).await?;
    let sums = store::sums(&mut *tx, order.id).await?;
    let refundable = sums.paid - sums.refunded - sums.refunding;
    if amount > refundable {
        return Err(PaymentError::RefundTooHigh {
            refundable: refundable.max(0),
        });
    }
    let Some(payment) = store::completed_of(&mut *tx, order.id).await? else {
        let refund = store::insert_refund(
            &mut tx,
            order.id,
            None,
            Channel::BankTransfer,
            amount,
            reason,
            RefundStatus::Finalized,
            admin,
        )
        .await?;
        book_refund(&mut tx, &refund, number).await?;
        tx.commit().await?;
        return Ok(refund);
    };
    let mut refund = store::insert_refund(
        &mut tx,
        order.id,
        Some(payment.id),
        Channel::Payu,
        amount,
        reason,
        RefundStatus::Pending,
        admin,
    )
    .await?;
    tx.commit().await?;
    let request = RefundRequest {
        provider_id: payment.provider_id.clone().unwrap_or_default(),
        amount,
        external_id: format!("{number}-refund-{}", refund.id),
        description: reason.chars().take(100).collect(),
    };
    match payments.provider.refund(&request).await {
        Ok(remote) => {
            store::set_refund(
                pool,
                refund.id,
                RefundStatus::Pending,
                Some(&remote.provider_id),
            )
            .await?;
            refund.provider_id = Some(remote.provider_id);
            if remote.state != RemoteRefundState::Pending {
                finish_refund(pool, refund.id, remote.state).await?;
            }
            Ok(refund)
        }
        Err(error) => {
            tracing::warn!(order = number, %error, "the gateway refused a refund");
            store::set_refund(pool, refund.id, RefundStatus::Canceled, None).await?;
            Err(PaymentError::GatewayUnavailable(error))
        }
    }
}

/// Asks the gateway about refunds on their way and books the finished ones.
pub(crate) async fn follow_refunds(
    pool: &PgPool,
    payments: &Payments,
) -> Result<usize, PaymentError> {
    let mut finished = 0;
    for (refund_id, payment_id, provider_refund_id) in store::pending_refunds(pool, 20).await? {
        let state = payments
            .provider
            .refund_status(&payment_id, &provider_refund_id)
            .await
            .map_err(PaymentError::GatewayUnavailable)?;
        if state != RemoteRefundState::Pending {
            finish_refund(pool, refund_id, state).await?;
            finished += 1;
        }
    }
    Ok(finished)
}

/// Closes a pending refund with the gateway's final word (once, whoever asks first).
async fn finish_refund(
    pool: &PgPool,
    refund_id: i64,
    state: RemoteRefundState,
) -> Result<(), PaymentError> {
    let mut tx = pool.begin().await?;
    let Some(refund) = store::lock_pending_refund(&mut tx, refund_id).await? else {
        return Ok(());
    };
    match state {
        RemoteRefundState::Finalized => {
            store::set_refund(&mut *tx, refund.id, RefundStatus::Finalized, None).await?;
            let number = orders::number_of(&mut *tx, refund.order_id).await?;
            book_refund(&mut tx, &refund, &number).await?;
        }
        RemoteRefundState::Canceled => {
            store::set_refund(&mut *tx, refund.id, RefundStatus::Canceled, None).await?;
        }
        RemoteRefundState::Pending => return Ok(()),
    }
    tx.commit().await?;
    Ok(())
}

/// Books money that went back, and moves the order to `REFUNDED` (all of it) or
/// `PARTIALLY_REFUNDED` where its state allows.
async fn book_refund(
    tx: &mut Transaction<'_, Postgres>,
    refund: &store::Refund,
    number: &str,
) -> Result<(), PaymentError> {
    let reference = format!("refund:{}", refund.id);
    let entry = LedgerEntry {
        order_id: refund.order_id,
        kind: EntryKind::Refund,
        channel: refund.channel,
        amount: refund.amount,
        reference: &reference,
        note: &refund.reason,
        recorded_by: None,
    };
    if !store::record(tx, &entry).await? {
        return Ok(());
    }
    let order = lock_order(tx, number).await?;
    let email = templates::refund_issued(&order.email, number, refund.amount);
    outbox::enqueue(&mut **tx, &email).await?;
    let sums = store::sums(&mut **tx, order.id).await?;
    let to = if sums.refunded >= sums.paid {
        OrderStatus::Refunded
    } else {
        OrderStatus::PartiallyRefunded
    };
    if order.status.can_move_to(to) {
        change_status_in(tx, number, to, Actor::System, &refund.reason).await?;
    }
    Ok(())
}

/// Reads the shop's new bank movements (when a Fio token is set) and books them. At most one
/// call per `fio_min_interval` (30 s) across all instances: the bank refuses more. Returns the status changes to
/// announce.
pub async fn poll_bank(
    pool: &PgPool,
    redis: &crate::cache::Redis,
    payments: &Payments,
) -> Result<Vec<OrderStatusChange>, String> {
    let Some(token) = payments.settings.fio_token.as_deref() else {
        return Ok(vec![]);
    };
    let (calls, _) = redis
        .hit("fio-poll", payments.settings.fio_min_interval)
        .await;
    if calls > 1 {
        return Ok(vec![]);
    }
    let movements =
        super::fio::new_movements(&payments.http, &payments.settings.fio_api_url, token)
            .await
            .map_err(|e| e.to_string())?;
    let (outcomes, changes) = book_movements(pool, &movements)
        .await
        .map_err(|e| e.to_string())?;
    if !outcomes.is_empty() {
        tracing::info!(booked = outcomes.len(), "booked bank movements");
    }
    Ok(changes)
}

/// [`follow_refunds`] for the job runner.
pub async fn follow_pending_refunds(pool: &PgPool, payments: &Payments) -> Result<usize, String> {
    follow_refunds(pool, payments)
        .await
        .map_err(|e| e.to_string())
}
