//! What the shop needs of a payment gateway, whichever it is (PayU now; Comgate and GoPay fit
//! the same shape): start a payment, verify a notification, read a payment's state, refund.

use futures_util::future::BoxFuture;

/// A payment to start at the gateway.
#[derive(Debug, Clone)]
pub(crate) struct StartRequest {
    /// Our id of this attempt, unique at the gateway: the order number and the attempt.
    pub external_id: String,
    /// Amount in haléře.
    pub amount: i64,
    /// `CZK`.
    pub currency: &'static str,
    /// What the shopper sees at the gateway, e.g. `Objednávka 2026000123`.
    pub description: String,
    /// Where the gateway sends notifications.
    pub notify_url: String,
    /// Where the shopper returns to.
    pub continue_url: String,
    /// The shopper's address, as the gateway wants it.
    pub customer_ip: String,
    /// The buyer.
    pub buyer: Buyer,
    /// The lines, for the gateway's receipt.
    pub products: Vec<Product>,
}

/// The buyer of a payment.
#[derive(Debug, Clone)]
pub(crate) struct Buyer {
    /// E-mail.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Phone, if known.
    pub phone: Option<String>,
}

/// A line of a payment's receipt.
#[derive(Debug, Clone)]
pub(crate) struct Product {
    /// Name.
    pub name: String,
    /// Unit price in haléře.
    pub unit_price: i64,
    /// Units.
    pub quantity: i32,
}

/// A payment the gateway accepted.
#[derive(Debug, Clone)]
pub(crate) struct Started {
    /// The gateway's id of the payment.
    pub provider_id: String,
    /// Where the shopper pays.
    pub redirect_url: String,
}

/// A payment as the gateway knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemotePayment {
    /// The gateway's state, mapped.
    pub state: RemoteState,
    /// The gateway's own word for it, kept for admins.
    pub raw_status: String,
    /// Amount in haléře.
    pub amount: i64,
    /// Currency code.
    pub currency: String,
}

/// The gateway's state of a payment in the shop's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RemoteState {
    /// Not decided yet.
    Pending,
    /// Paid.
    Completed,
    /// Cancelled, rejected or expired.
    Canceled,
}

/// A refund to ask for.
#[derive(Debug, Clone)]
pub(crate) struct RefundRequest {
    /// The gateway's id of the payment to refund.
    pub provider_id: String,
    /// Amount in haléře.
    pub amount: i64,
    /// Our id of the refund: the same id never refunds twice.
    pub external_id: String,
    /// Why, for the gateway's records.
    pub description: String,
}

/// A refund as the gateway knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemoteRefund {
    /// The gateway's id of the refund.
    pub provider_id: String,
    /// Its state.
    pub state: RemoteRefundState,
}

/// A refund's state at the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RemoteRefundState {
    /// On its way.
    Pending,
    /// Done.
    Finalized,
    /// Refused or cancelled.
    Canceled,
}

/// Why a call to the gateway failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ProviderError {
    /// The gateway could not be reached or did not answer in time.
    #[error("the payment gateway is unreachable: {0}")]
    Unreachable(String),
    /// The gateway answered with an error.
    #[error("the payment gateway refused: {0}")]
    Refused(String),
}

/// A payment gateway.
pub(crate) trait PaymentProvider: Send + Sync {
    /// Creates the payment; the shopper goes to the returned URL.
    fn start<'a>(
        &'a self,
        request: &'a StartRequest,
    ) -> BoxFuture<'a, Result<Started, ProviderError>>;

    /// The gateway's payment id a notification is about, if its signature (over the raw body)
    /// is the gateway's; nothing of an unverified body is read.
    fn verify_notification(&self, signature: Option<&str>, body: &[u8]) -> Option<String>;

    /// The payment's state, read from the gateway (notifications are only a trigger).
    fn status<'a>(
        &'a self,
        provider_id: &'a str,
    ) -> BoxFuture<'a, Result<RemotePayment, ProviderError>>;

    /// Asks for a refund.
    fn refund<'a>(
        &'a self,
        request: &'a RefundRequest,
    ) -> BoxFuture<'a, Result<RemoteRefund, ProviderError>>;

    /// A refund's state.
    fn refund_status<'a>(
        &'a self,
        payment_id: &'a str,
        refund_id: &'a str,
    ) -> BoxFuture<'a, Result<RemoteRefundState, ProviderError>>;
}
