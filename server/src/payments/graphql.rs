//! The payments part of the schema: what an order owes and how to pay it, and the admins'
//! refunds, recorded payments and bank movements to review.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::status::{Channel, MovementOutcome, PaymentStatus, RefundStatus};
use super::{PaymentError, Payments, service, store};
use crate::auth::{AdminGuard, request_info, require_admin};
use crate::delivery::PaymentMethod;
use crate::error::{ErrorCode, api_error};
use crate::graphql::domain_errors::{ClientError, ServiceResult, ToClient, internal};
use crate::graphql::user_error::UserError;
use crate::money::Money;
use crate::orders::graphql::visible_order;
use crate::orders::live::LiveOrders;
use crate::orders::status::OrderStatus;
use crate::orders::store::Order;
use crate::qr_platba::qr;
use crate::qr_platba::spayd::{self, CzechAccount};

/// What an order owes and how it is paid: sums of the payment ledger, the attempts at the
/// gateway, refunds, and bank transfer instructions while a transfer is due.
pub(crate) struct OrderPayment {
    order: Order,
    sums: store::Sums,
    attempts: Vec<store::Payment>,
    refunds: Vec<store::Refund>,
    bank_account: String,
}

impl OrderPayment {
    async fn load(pool: &PgPool, payments: &Payments, order: Order) -> sqlx::Result<Self> {
        Ok(Self {
            sums: store::sums(pool, order.id).await?,
            attempts: store::attempts_of(pool, order.id).await?,
            refunds: store::refunds_of(pool, order.id).await?,
            bank_account: payments.settings.bank_account.clone(),
            order,
        })
    }

    fn due_minor(&self) -> i64 {
        match self.order.status {
            OrderStatus::Cancelled => 0,
            _ => (self.order.total - self.sums.paid + self.sums.refunded).max(0),
        }
    }

    fn payment_method(&self) -> Option<PaymentMethod> {
        PaymentMethod::parse(&self.order.payment_method)
    }
}

#[Object]
impl OrderPayment {
    /// The order's number (also the variable symbol of a bank transfer).
    async fn number(&self) -> &str {
        &self.order.number
    }

    /// How the order is to be paid.
    async fn method(&self) -> Option<PaymentMethod> {
        self.payment_method()
    }

    /// The order's total.
    async fn total(&self) -> Money {
        Money::czk(self.order.total)
    }

    /// Money received.
    async fn paid(&self) -> Money {
        Money::czk(self.sums.paid)
    }

    /// Money sent back.
    async fn refunded(&self) -> Money {
        Money::czk(self.sums.refunded)
    }

    /// What is still to pay (zero once paid or cancelled).
    async fn due(&self) -> Money {
        Money::czk(self.due_minor())
    }

    /// Whether the order waits for a payment that the shopper can make now (by card or
    /// transfer).
    async fn payable(&self) -> bool {
        self.order.status == OrderStatus::PendingPayment && self.due_minor() > 0
    }

    /// Card payment attempts, oldest first.
    async fn attempts(&self) -> Vec<PaymentAttempt> {
        self.attempts.iter().map(PaymentAttempt::from).collect()
    }

    /// Refunds, oldest first.
    async fn refunds(&self) -> Vec<Refund> {
        self.refunds.iter().map(Refund::from).collect()
    }

    /// How to pay by bank transfer, while a transfer is due.
    async fn bank_transfer(&self) -> Option<BankTransfer> {
        let due = self.due_minor();
        let waiting = self.order.status == OrderStatus::PendingPayment && due > 0;
        if !waiting || self.payment_method() != Some(PaymentMethod::BankTransfer) {
            return None;
        }
        let account = CzechAccount::parse(&self.bank_account)?;
        let iban = account.iban();
        let spayd = spayd::text(&spayd::Payment {
            iban: &iban,
            amount: due,
            variable_symbol: &self.order.number,
            message: &format!("Objednavka {}", self.order.number),
        })?;
        Some(BankTransfer {
            account_number: account.to_string(),
            qr_svg: qr::svg(&spayd, "QR Platba")?,
            iban,
            variable_symbol: self.order.number.clone(),
            amount: Money::czk(due),
            spayd,
        })
    }
}

/// How to pay an order by bank transfer.
#[derive(SimpleObject)]
pub(crate) struct BankTransfer {
    /// The shop's account in Czech form, e.g. `2001234567/2010`.
    account_number: String,
    /// The same account as an IBAN.
    iban: String,
    /// The variable symbol: the order's number.
    variable_symbol: String,
    /// The amount to send.
    amount: Money,
    /// The QR Platba text (SPAYD) banking apps read.
    spayd: String,
    /// The QR Platba code as inline SVG (drawn from the code's modules only: no text in it).
    qr_svg: String,
}

/// An attempt to pay at the gateway.
#[derive(SimpleObject)]
pub(crate) struct PaymentAttempt {
    /// 1 for the first attempt.
    attempt: i32,
    /// Where it stands.
    status: PaymentStatus,
    /// The gateway's own word for it (admins).
    provider_status: Option<String>,
    /// The gateway's id of the payment.
    provider_id: Option<String>,
    /// The amount asked for.
    amount: Money,
    /// When it started.
    created_at: DateTime<Utc>,
    /// When it last changed.
    updated_at: DateTime<Utc>,
}

impl From<&store::Payment> for PaymentAttempt {
    fn from(p: &store::Payment) -> Self {
        Self {
            attempt: p.attempt,
            status: p.status,
            provider_status: p.provider_status.clone(),
            provider_id: p.provider_id.clone(),
            amount: Money::czk(p.amount),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// Money sent back to the customer.
#[derive(SimpleObject)]
pub(crate) struct Refund {
    /// How it goes back.
    channel: Channel,
    /// The amount.
    amount: Money,
    /// Why.
    reason: String,
    /// Where it stands.
    status: RefundStatus,
    /// When it was asked for.
    created_at: DateTime<Utc>,
}

impl From<&store::Refund> for Refund {
    fn from(r: &store::Refund) -> Self {
        Self {
            channel: r.channel,
            amount: Money::czk(r.amount),
            reason: r.reason.clone(),
            status: r.status,
            created_at: r.created_at,
        }
    }
}

#[derive(Default)]
pub(crate) struct PaymentsQuery;

#[Object]
impl PaymentsQuery {
    /// What an order owes and how to pay it (the same access rules as `order`).
    async fn order_payment(
        &self,
        ctx: &Context<'_>,
        number: String,
    ) -> async_graphql::Result<OrderPayment> {
        let order = visible_order(ctx, &number).await?;
        Ok(OrderPayment::load(pool(ctx), payments(ctx), order.row().clone()).await?)
    }

    /// Incoming bank movements an admin has to look at: overpayments, unknown variable
    /// symbols, foreign currencies and payments of cancelled orders, newest first. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn bank_movements_to_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] first: i32,
    ) -> async_graphql::Result<Vec<BankMovement>> {
        let limit = i64::from(first.clamp(1, 100));
        let rows = store::movements_needing_attention(pool(ctx), limit).await?;
        Ok(rows.into_iter().map(BankMovement::from).collect())
    }

    /// Numbers of orders that were paid after they were cancelled, newest first. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn late_paid_orders(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] first: i32,
    ) -> async_graphql::Result<Vec<String>> {
        let limit = i64::from(first.clamp(1, 100));
        Ok(crate::orders::store::paid_late(pool(ctx), limit).await?)
    }
}

/// An incoming bank movement.
#[derive(SimpleObject)]
pub(crate) struct BankMovement {
    /// The bank's id.
    movement_id: String,
    /// The amount in its currency's minor units.
    amount_minor: i64,
    /// Its currency.
    currency: String,
    /// The variable symbol the payer gave.
    variable_symbol: Option<String>,
    /// The payer's account.
    counter_account: Option<String>,
    /// The payer's name.
    counter_name: Option<String>,
    /// The payer's message.
    message: Option<String>,
    /// The order it was matched to.
    order_number: Option<String>,
    /// What became of it.
    outcome: MovementOutcome,
    /// When the shop read it.
    received_at: DateTime<Utc>,
}

impl From<store::KeptMovement> for BankMovement {
    fn from(m: store::KeptMovement) -> Self {
        Self {
            movement_id: m.movement_id,
            amount_minor: m.amount,
            currency: m.currency,
            variable_symbol: m.variable_symbol,
            counter_account: m.counter_account,
            counter_name: m.counter_name,
            message: m.message,
            order_number: m.order_number,
            outcome: m.outcome,
            received_at: m.received_at,
        }
    }
}

/// How a shopper pays an unpaid order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub(crate) enum PayWith {
    /// Card or bank button at PayU: the answer holds where to go.
    Card,
    /// Bank transfer with QR Platba: the instructions are in `payment.bankTransfer`.
    BankTransfer,
}

/// A payment of an unpaid order.
#[derive(InputObject)]
pub(crate) struct OrderPayInput {
    /// The order's number.
    number: String,
    /// How to pay.
    method: PayWith,
}

/// The answer to `orderPay`.
#[derive(SimpleObject, Default)]
pub(crate) struct OrderPayPayload {
    /// Where the shopper pays (a card payment).
    redirect_url: Option<String>,
    /// The order's payment state now.
    payment: Option<OrderPayment>,
    /// Why it could not start.
    user_errors: Vec<UserError>,
}

/// Money an admin received.
#[derive(InputObject)]
pub(crate) struct OrderPaymentRecordInput {
    /// The order's number.
    number: String,
    /// The amount in haléře.
    amount: i64,
    /// How it came.
    channel: ReceivedBy,
    /// A note for the ledger.
    #[graphql(default)]
    note: String,
}

/// How money an admin records came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub(crate) enum ReceivedBy {
    /// A transfer the bank did not report.
    BankTransfer,
    /// Cash or card to the carrier or at the shop.
    CashOnDelivery,
}

/// A refund an admin makes.
#[derive(InputObject)]
pub(crate) struct OrderRefundInput {
    /// The order's number.
    number: String,
    /// The amount in haléře.
    amount: i64,
    /// Why (kept with the refund and in the ledger).
    reason: String,
}

/// The answer to an admin's payment change.
#[derive(SimpleObject, Default)]
pub(crate) struct OrderPaymentPayload {
    /// The order's payment state now.
    payment: Option<OrderPayment>,
    /// Why nothing changed.
    user_errors: Vec<UserError>,
}

#[derive(Default)]
pub(crate) struct PaymentsMutation;

#[Object]
impl PaymentsMutation {
    /// Pays an unpaid order (the same access rules as `order`): by card, starting a new
    /// attempt at PayU (the answer's `redirectUrl` is where to go), or by switching to a bank
    /// transfer. Each attempt gives the order a new payment window.
    async fn order_pay(
        &self,
        ctx: &Context<'_>,
        input: OrderPayInput,
    ) -> async_graphql::Result<OrderPayPayload> {
        let order = visible_order(ctx, &input.number).await?;
        let number = &order.row().number;
        let outcome = match input.method {
            PayWith::Card => {
                let ip = request_info(ctx)
                    .ip
                    .clone()
                    .unwrap_or_else(|| "127.0.0.1".into());
                service::pay_by_card(pool(ctx), payments(ctx), number, &ip)
                    .await
                    .map(Some)
            }
            PayWith::BankTransfer => service::pay_by_transfer(pool(ctx), payments(ctx), number)
                .await
                .map(|()| None),
        };
        match outcome.or_user_errors()? {
            Ok(redirect_url) => Ok(OrderPayPayload {
                redirect_url,
                payment: Some(reload(ctx, number).await?),
                user_errors: vec![],
            }),
            Err(user_errors) => Ok(OrderPayPayload {
                user_errors,
                ..Default::default()
            }),
        }
    }

    /// Records money received outside the gateway and the bank feed (a transfer, cash from the
    /// carrier); a fully paid order waiting for payment becomes `PAID`. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn order_payment_record(
        &self,
        ctx: &Context<'_>,
        input: OrderPaymentRecordInput,
    ) -> async_graphql::Result<OrderPaymentPayload> {
        let admin = require_admin(ctx)?;
        let channel = match input.channel {
            ReceivedBy::BankTransfer => Channel::BankTransfer,
            ReceivedBy::CashOnDelivery => Channel::CashOnDelivery,
        };
        let note = input.note.trim();
        let outcome = service::record_payment(
            pool(ctx),
            &input.number,
            channel,
            input.amount,
            note,
            admin.customer_id,
        )
        .await;
        match outcome.or_user_errors()? {
            Ok(change) => {
                if let Some(change) = change {
                    ctx.data_unchecked::<LiveOrders>().publish(change).await;
                }
                answer(ctx, &input.number).await
            }
            Err(user_errors) => Ok(OrderPaymentPayload {
                payment: None,
                user_errors,
            }),
        }
    }

    /// Refunds part or all of what an order's customer paid (never more than paid and not yet
    /// refunded): a card payment through PayU, other money as booked by the admin who sends it.
    /// Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn order_refund(
        &self,
        ctx: &Context<'_>,
        input: OrderRefundInput,
    ) -> async_graphql::Result<OrderPaymentPayload> {
        let admin = require_admin(ctx)?;
        let reason = input.reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Ok(OrderPaymentPayload {
                payment: None,
                user_errors: vec![UserError::on("reason", "INVALID", "Uveďte důvod vrácení.")],
            });
        }
        let outcome = service::refund(
            pool(ctx),
            payments(ctx),
            &input.number,
            input.amount,
            reason,
            Some(admin.customer_id),
        )
        .await;
        match outcome.or_user_errors()? {
            Ok(_) => answer(ctx, &input.number).await,
            Err(user_errors) => Ok(OrderPaymentPayload {
                payment: None,
                user_errors,
            }),
        }
    }
}

async fn reload(ctx: &Context<'_>, number: &str) -> async_graphql::Result<OrderPayment> {
    let order = crate::orders::graphql::Order::by_number(pool(ctx), number)
        .await?
        .ok_or_else(|| api_error(ErrorCode::NotFound, "the order vanished"))?;
    Ok(OrderPayment::load(pool(ctx), payments(ctx), order.row().clone()).await?)
}

async fn answer(ctx: &Context<'_>, number: &str) -> async_graphql::Result<OrderPaymentPayload> {
    Ok(OrderPaymentPayload {
        payment: Some(reload(ctx, number).await?),
        user_errors: vec![],
    })
}

impl ToClient for PaymentError {
    fn to_client(self) -> ClientError {
        let message = self.to_string();
        let (field, code) = match &self {
            Self::OrderNotFound(_) => {
                return ClientError::Error(api_error(ErrorCode::NotFound, message));
            }
            Self::Order(_)
            | Self::Database(_)
            | Self::InvalidSignature
            | Self::UnknownPayment(_) => {
                return internal(self);
            }
            Self::NotPayable => ("number", "NOT_PAYABLE"),
            Self::InProgress => ("number", "PAYMENT_IN_PROGRESS"),
            Self::GatewayUnavailable(_) => ("method", "PAYMENT_GATEWAY_UNAVAILABLE"),
            Self::InvalidAmount => ("amount", "INVALID"),
            Self::RefundTooHigh { .. } => ("amount", "REFUND_TOO_HIGH"),
        };
        ClientError::UserErrors(vec![UserError::on(field, code, &message)])
    }
}

fn pool<'a>(ctx: &Context<'a>) -> &'a PgPool {
    ctx.data_unchecked::<PgPool>()
}

fn payments<'a>(ctx: &Context<'a>) -> &'a Payments {
    ctx.data_unchecked::<Payments>()
}
