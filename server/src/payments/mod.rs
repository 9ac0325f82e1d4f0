//! Payments: card and bank-button payments through PayU, bank transfers with QR Platba matched
//! from the bank's movements, cash on delivery, refunds. Money is a ledger: "paid", "refunded"
//! and "still due" are sums of its entries, never flags.

pub(crate) mod error;
pub(crate) mod fio;
pub(crate) mod graphql;
pub mod payu;
pub(crate) mod provider;
pub mod service;
pub(crate) mod signature;
pub(crate) mod status;
pub(crate) mod store;

use std::sync::Arc;
use std::time::Duration;

pub(crate) use error::PaymentError;

use crate::config::PaymentSettings;
use crate::delivery::{PaymentWindows, ShopAccount};
use provider::PaymentProvider;

/// What the payments domain needs at run time: the gateway, an HTTP client for the bank, the
/// settings. Cheap to clone.
#[derive(Clone)]
pub struct Payments {
    provider: Arc<dyn PaymentProvider>,
    http: reqwest::Client,
    settings: Arc<PaymentSettings>,
    public_url: Arc<str>,
}

impl Payments {
    /// The shop's payments as configured: PayU at `settings.payu`, the bank's API, links to
    /// `public_url`.
    pub fn new(settings: &PaymentSettings, public_url: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        let payu = payu::Payu::new(settings.payu.clone(), http.clone());
        Self {
            provider: Arc::new(payu),
            http,
            settings: Arc::new(settings.clone()),
            public_url: public_url.into(),
        }
    }

    /// How long unpaid orders wait.
    pub fn windows(&self) -> PaymentWindows {
        self.settings.windows
    }

    /// The shop's account for transfers (checked when the configuration was read).
    pub fn account(&self) -> Option<ShopAccount> {
        let account = crate::qr_platba::spayd::CzechAccount::parse(&self.settings.bank_account)?;
        Some(ShopAccount {
            number: account.to_string(),
            iban: account.iban(),
        })
    }
}
