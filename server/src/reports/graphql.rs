//! The sales figures in the schema (admins only).

use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::NaiveDate;
use sqlx::PgPool;

use super::store;
use crate::auth::AdminGuard;
use crate::error::bad_input;
use crate::money::Money;

/// How figures are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub(crate) enum ReportPeriod {
    Day,
    Week,
    Month,
}

/// Figures of one period (or of the whole range).
#[derive(SimpleObject)]
pub(crate) struct SalesFigures {
    /// The period's first day (Europe/Prague); the range's first day for the totals.
    start: NaiveDate,
    /// Orders placed (cancelled ones do not count).
    orders: i64,
    /// Revenue with VAT.
    revenue: Money,
    /// Revenue without VAT.
    revenue_net: Money,
    /// Revenue with VAT per order.
    average_order: Money,
    /// Units sold.
    units: i64,
    /// Money refunded in the period.
    refunds: Money,
}

impl SalesFigures {
    fn of(p: &store::Period) -> Self {
        Self {
            start: p.start,
            orders: p.orders,
            revenue: Money::czk(p.revenue_gross),
            revenue_net: Money::czk(p.revenue_net),
            average_order: Money::czk(if p.orders > 0 {
                p.revenue_gross / p.orders
            } else {
                0
            }),
            units: p.units,
            refunds: Money::czk(p.refunds),
        }
    }
}

/// Sales of one product, category or brand.
#[derive(SimpleObject)]
pub(crate) struct TopSeller {
    name: String,
    units: i64,
    revenue: Money,
}

/// Sales over a range of days.
#[derive(SimpleObject)]
pub(crate) struct SalesReport {
    /// The whole range.
    totals: SalesFigures,
    /// Per day, week or month (only periods with sales or refunds).
    periods: Vec<SalesFigures>,
    /// Best-selling products by revenue.
    top_products: Vec<TopSeller>,
    /// Revenue per category.
    by_category: Vec<TopSeller>,
    /// Revenue per brand.
    by_brand: Vec<TopSeller>,
    /// Carts started in the range.
    carts: i64,
    /// Orders per cart started, in percent.
    conversion_percent: f64,
    /// Stock on hand at today's prices with VAT.
    stock_value: Money,
    /// The same without VAT.
    stock_value_net: Money,
}

#[derive(Default)]
pub(crate) struct ReportsQuery;

#[Object]
impl ReportsQuery {
    /// Sales from `from` to `to` (Europe/Prague days, inclusive). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn sales_report(
        &self,
        ctx: &Context<'_>,
        from: NaiveDate,
        to: NaiveDate,
        #[graphql(default_with = "ReportPeriod::Day")] group_by: ReportPeriod,
        #[graphql(default = 10)] top: i32,
    ) -> async_graphql::Result<SalesReport> {
        if to < from || (to - from).num_days() > 3660 {
            return Err(bad_input(
                "`to` is on or after `from`, at most ten years later",
            ));
        }
        let pool = ctx.data_unchecked::<PgPool>();
        let unit = match group_by {
            ReportPeriod::Day => "day",
            ReportPeriod::Week => "week",
            ReportPeriod::Month => "month",
        };
        super::rollup::refresh(pool).await?;
        let periods = store::periods(pool, from, to, unit).await?;
        let total = store::Period {
            start: from,
            orders: periods.iter().map(|p| p.orders).sum(),
            revenue_gross: periods.iter().map(|p| p.revenue_gross).sum(),
            revenue_net: periods.iter().map(|p| p.revenue_net).sum(),
            units: periods.iter().map(|p| p.units).sum(),
            refunds: periods.iter().map(|p| p.refunds).sum(),
        };
        let limit = i64::from(top.clamp(1, 100));
        let sellers = |rows: Vec<store::Seller>| {
            rows.into_iter()
                .map(|s| TopSeller {
                    name: s.name,
                    units: s.units,
                    revenue: Money::czk(s.revenue_gross),
                })
                .collect()
        };
        let (carts, orders) = store::conversion(pool, from, to).await?;
        let (stock, stock_net) = store::stock_value(pool).await?;
        Ok(SalesReport {
            totals: SalesFigures::of(&total),
            periods: periods.iter().map(SalesFigures::of).collect(),
            top_products: sellers(store::sellers(pool, from, to, "product", limit).await?),
            by_category: sellers(store::sellers(pool, from, to, "category", limit).await?),
            by_brand: sellers(store::sellers(pool, from, to, "brand", limit).await?),
            carts,
            conversion_percent: if carts > 0 {
                orders as f64 * 100.0 / carts as f64
            } else {
                0.0
            },
            stock_value: Money::czk(stock),
            stock_value_net: Money::czk(stock_net),
        })
    }
}
