//! The price summary of a cart, a checkout or an order: the amounts, VAT per rate, the total.

use leptos::prelude::*;

/// What the summary shows, already formatted (`1 299 Kč`).
#[derive(Debug, Clone, PartialEq)]
pub struct TotalsView {
    /// Label and amount rows above the total (goods, discount, shipping, fee).
    pub rows: Vec<(&'static str, String)>,
    /// VAT rate in percent, net and VAT at that rate.
    pub vat: Vec<(i64, String, String)>,
    pub total: String,
}

impl TotalsView {
    /// Adds a row.
    pub fn with_row(mut self, label: &'static str, amount: String) -> Self {
        self.rows.push((label, amount));
        self
    }

    /// Adds a row unless the amount is zero (`minor_units` of it).
    pub fn optional_row(mut self, label: &'static str, minor_units: i64, formatted: &str) -> Self {
        if minor_units != 0 {
            self.rows.push((label, formatted.to_owned()));
        }
        self
    }

    /// Adds the discount, with a minus sign, unless there is none.
    pub fn discount_row(self, minor_units: i64, formatted: &str) -> Self {
        self.optional_row("Sleva", minor_units, &crate::czech::minus(formatted))
    }
}

/// The summary table.
#[component]
pub fn Totals(totals: TotalsView) -> impl IntoView {
    view! {
        <dl class="totals">
            {totals.rows.into_iter().map(|(label, amount)| view! {
                <div class="totals__row"><dt>{label}</dt><dd>{amount}</dd></div>
            }).collect_view()}
            {totals.vat.into_iter().map(|(rate, net, vat)| view! {
                <div class="totals__row totals__row--vat">
                    <dt>{format!("Základ DPH {rate} %")}</dt><dd>{net}</dd>
                    <dt>{format!("DPH {rate} %")}</dt><dd>{vat}</dd>
                </div>
            }).collect_view()}
            <div class="totals__row totals__row--total">
                <dt>"Celkem s DPH"</dt><dd data-testid="total">{totals.total}</dd>
            </div>
        </dl>
    }
}
