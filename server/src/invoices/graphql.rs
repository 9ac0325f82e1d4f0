//! Tax documents in the schema: the documents of an order, for whoever may see the order.

use async_graphql::{Context, Object};
use chrono::NaiveDate;
use sqlx::PgPool;

use super::document::DocumentKind;
use super::store::{self, DocumentRow};
use crate::money::Money;
use crate::orders::graphql::visible_order;

/// An issued tax document.
pub(crate) struct TaxDocument(DocumentRow);

#[Object]
impl TaxDocument {
    /// The document's number, e.g. `FV2026000042`.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn kind(&self) -> DocumentKind {
        self.0.kind
    }
    /// The title as printed, e.g. "Faktura – daňový doklad".
    async fn title(&self) -> &str {
        self.0.kind.title()
    }
    async fn issued_on(&self) -> NaiveDate {
        self.0.content.issued_on
    }
    /// The date of the taxable supply.
    async fn taxable_on(&self) -> NaiveDate {
        self.0.content.taxable_on
    }
    /// The total with VAT (negative on a credit note).
    async fn total(&self) -> Money {
        Money::czk(self.0.content.total)
    }
    /// A credit note's original document.
    async fn original_number(&self) -> Option<&str> {
        self.0.content.original_number.as_deref()
    }
    /// The PDF (a path on the shop, with the key that opens it without signing in).
    async fn pdf_url(&self) -> String {
        super::path(&self.0.number, &self.0.access_key)
    }
}

#[derive(Default)]
pub(crate) struct InvoicesQuery;

#[Object]
impl InvoicesQuery {
    /// The tax documents of an order (its invoice, then credit notes), for its customer, an
    /// admin, or the browser that placed a guest order; `NOT_FOUND` for anyone else.
    async fn tax_documents(
        &self,
        ctx: &Context<'_>,
        order_number: String,
    ) -> async_graphql::Result<Vec<TaxDocument>> {
        let order = visible_order(ctx, &order_number).await?;
        let rows = store::of_order(ctx.data_unchecked::<PgPool>(), order.order.id).await?;
        Ok(rows.into_iter().map(TaxDocument).collect())
    }
}
