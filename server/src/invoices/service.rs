//! Issuing tax documents: every order paid in full gets its invoice (or simplified document),
//! every finished refund its credit note, each in one transaction with its gapless number and
//! the e-mail that links it. Any number of instances may run this at once: a document already
//! issued by another makes the transaction roll back, number included.

use chrono::Datelike;
use sqlx::PgPool;

use super::InvoiceSettings;
use super::document::{DocumentKind, Sale, TaxDocument};
use super::store;
use crate::mail::{outbox, templates};
use crate::orders::store as orders;

/// Documents issued per round at most (the rest follow in the next round).
const BATCH: i64 = 200;

/// Issues what is due; how many documents were issued.
pub async fn issue_due(pool: &PgPool, settings: &InvoiceSettings) -> sqlx::Result<usize> {
    let mut issued = 0;
    for (order_id, paid_on) in store::due_invoices(pool, BATCH).await? {
        issued += usize::from(issue_invoice(pool, settings, order_id, paid_on).await?);
    }
    for (refund_id, order_id, amount, reason) in store::due_credit_notes(pool, BATCH).await? {
        issued += usize::from(
            issue_credit_note(pool, settings, refund_id, order_id, amount, &reason).await?,
        );
    }
    Ok(issued)
}

async fn issue_invoice(
    pool: &PgPool,
    settings: &InvoiceSettings,
    order_id: i64,
    paid_on: chrono::NaiveDate,
) -> sqlx::Result<bool> {
    let number = orders::number_of(pool, order_id).await?;
    let Some((order, _)) = orders::by_number_with_version(pool, &number).await? else {
        return Ok(false);
    };
    let lines = orders::lines_of(pool, &[order_id]).await?;
    let sale = Sale {
        order_number: &order.number,
        billing: &order.billing_address,
        payment_method: &order.payment_method,
        lines: lines
            .into_iter()
            .map(|l| {
                let name = if l.variant_title.is_empty() {
                    l.product_name
                } else {
                    format!("{} – {}", l.product_name, l.variant_title)
                };
                (name, l.quantity, l.unit_price, l.total, l.vat_rate)
            })
            .collect(),
        discount: order.discount,
        shipping: order.shipping,
        payment_fee: order.payment_fee,
        rounding: order.rounding,
        total: order.total,
    };
    let kind = super::document::kind_for(order.total, &order.billing_address);
    let build = |number, today| {
        TaxDocument::for_sale(&sale, number, settings.seller.clone(), today, paid_on)
    };
    issue(pool, settings, &order, kind, None, build).await
}

async fn issue_credit_note(
    pool: &PgPool,
    settings: &InvoiceSettings,
    refund_id: i64,
    order_id: i64,
    amount: i64,
    reason: &str,
) -> sqlx::Result<bool> {
    let Some(original) = store::of_order(pool, order_id)
        .await?
        .into_iter()
        .find(|d| d.kind != DocumentKind::CreditNote)
    else {
        return Ok(false);
    };
    let number = orders::number_of(pool, order_id).await?;
    let Some((order, _)) = orders::by_number_with_version(pool, &number).await? else {
        return Ok(false);
    };
    let refund = Some((refund_id, original.id));
    let build = |number, today| original.content.credit_note(number, amount, reason, today);
    issue(
        pool,
        settings,
        &order,
        DocumentKind::CreditNote,
        refund,
        build,
    )
    .await
}

/// Numbers and keeps the document `build` makes (from its number and today's date) and queues
/// its e-mail, in one transaction; false when the order (or refund) already had one.
async fn issue(
    pool: &PgPool,
    settings: &InvoiceSettings,
    order: &orders::Order,
    kind: DocumentKind,
    refund: Option<(i64, i64)>,
    build: impl FnOnce(String, chrono::NaiveDate) -> TaxDocument,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let today = store::today(&mut *tx).await?;
    let number = store::next_number(&mut tx, kind.series(), today.year()).await?;
    let document = build(number, today);
    let key = access_key();
    if store::insert(&mut tx, &document, order.id, refund, &key)
        .await?
        .is_none()
    {
        tx.rollback().await?;
        return Ok(false);
    }
    let link = settings.link(&document.number, &key);
    let email = templates::tax_document(
        &order.email,
        kind.title(),
        &document.number,
        &order.number,
        &link,
    );
    outbox::enqueue(&mut *tx, &email).await?;
    tx.commit().await?;
    Ok(true)
}

/// 128 random bits, hex.
fn access_key() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}
