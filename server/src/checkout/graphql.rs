//! The checkout part of the schema.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{NaiveDate, Utc};
use sqlx::PgPool;

use super::rules::{self, PaymentMethod, ShippingMethod};
use super::service::{self, Patch, Summary};
use super::{CheckoutError, DiscountProblem, Field, Problem};
use crate::address::MailingAddress;
use crate::address::MailingAddressInput;
use crate::auth::request_info;
use crate::delivery::calendar;
use crate::graphql::domain_errors::{ClientError, ServiceResult, ToClient, internal};
use crate::graphql::user_error::{Errors, UserError};
use crate::ids::{self, NodeType};
use crate::money::{Money, VatLine};
use crate::orders::graphql::Order;
use crate::pickup_points::graphql::PickupPoint;

/// The checkout of a cart: choices so far and prices, recomputed at every step.
pub(crate) struct Checkout(Summary);

/// The checkout of a cart: choices so far and prices, recomputed at every step.
#[Object]
impl Checkout {
    /// The cart being checked out.
    async fn cart_id(&self) -> ID {
        ids::encode_uuid(NodeType::Cart, self.0.cart_id)
    }

    async fn email(&self) -> Option<&str> {
        self.0.state.email.as_deref()
    }

    async fn shipping_method(&self) -> Option<ShippingMethod> {
        self.0.state.shipping()
    }

    /// Where the parcel goes.
    async fn shipping_address(&self) -> Option<MailingAddress> {
        let address = self.0.state.shipping_address.as_ref()?;
        Some(MailingAddress::snapshot(address.0.clone()))
    }

    /// Who the invoice is for, when not the shipping address (e.g. a company).
    async fn billing_address(&self) -> Option<MailingAddress> {
        let address = self.0.state.billing_address.as_ref()?;
        Some(MailingAddress::snapshot(address.0.clone()))
    }

    /// The Zásilkovna pickup point's id.
    async fn pickup_point_id(&self) -> Option<&str> {
        self.0.state.pickup_point_id.as_deref()
    }

    /// The chosen Zásilkovna pickup point; `null` when none is chosen or it has closed since.
    async fn pickup_point(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PickupPoint>> {
        let Some(id) = &self.0.state.pickup_point_id else {
            return Ok(None);
        };
        let point = crate::pickup_points::service::find_active(pool(ctx), id).await?;
        Ok(point.map(PickupPoint::from))
    }

    async fn payment_method(&self) -> Option<PaymentMethod> {
        self.0.state.payment()
    }

    /// The discount code entered, applied or not (see `discountProblem`).
    async fn discount_code(&self) -> Option<&str> {
        self.0.state.discount_code.as_deref()
    }

    /// Why the discount code does not apply now (in Czech), if it does not.
    async fn discount_problem(&self) -> Option<String> {
        self.0
            .discount_problem
            .as_ref()
            .map(DiscountProblem::to_string)
    }

    /// Units in the cart.
    async fn total_quantity(&self) -> i64 {
        self.0.lines.iter().map(|l| i64::from(l.quantity)).sum()
    }

    /// Goods, VAT included.
    async fn subtotal(&self) -> Money {
        Money::czk(self.0.totals.subtotal)
    }

    async fn discount(&self) -> Money {
        Money::czk(self.0.totals.discount)
    }

    /// Shipping; free from 1 500 Kč of goods.
    async fn shipping(&self) -> Money {
        Money::czk(self.0.totals.shipping)
    }

    /// Cash-on-delivery fee.
    async fn payment_fee(&self) -> Money {
        Money::czk(self.0.totals.payment_fee)
    }

    /// Cash on delivery: the rounding to whole crowns the carrier collects (outside the VAT
    /// base); zero otherwise.
    async fn rounding(&self) -> Money {
        Money::czk(self.0.totals.rounding)
    }

    /// What the order will cost.
    async fn total(&self) -> Money {
        Money::czk(self.0.totals.total)
    }

    /// Net, VAT and gross per rate, as the tax document will show.
    async fn vat_breakdown(&self) -> &[VatLine] {
        &self.0.totals.vat
    }

    /// The goods after the discount (what the mini-cart shows).
    async fn goods_total(&self) -> Money {
        Money::czk(self.0.totals.subtotal - self.0.totals.discount)
    }

    /// What more goods (after the discount) would make shipping free; zero once it is free.
    async fn amount_to_free_shipping(&self) -> Money {
        Money::czk(self.missing_for_free_shipping())
    }

    /// The shipping methods with their prices for this cart.
    async fn available_shipping_methods(&self) -> Vec<ShippingOption> {
        let free = self.missing_for_free_shipping() == 0;
        let in_stock = !self.0.lines.is_empty()
            && self
                .0
                .lines
                .iter()
                .all(|line| line.available >= line.quantity);
        let now = Utc::now();
        ShippingMethod::ALL
            .into_iter()
            .map(|method| ShippingOption {
                method,
                name: method.name().to_owned(),
                price: Money::czk(if free { 0 } else { method.price() }),
                needs_pickup_point: method.needs_pickup_point(),
                delivery_date: in_stock.then(|| calendar::delivery_date(method, now)),
            })
            .collect()
    }

    /// The payment methods with their fees for the chosen shipping (the cash-on-delivery fee
    /// assumes a carrier until shipping is chosen).
    async fn available_payment_methods(&self) -> Vec<PaymentOption> {
        let shipping = self.0.state.shipping().unwrap_or(ShippingMethod::Ppl);
        PaymentMethod::ALL
            .into_iter()
            .map(|method| PaymentOption {
                method,
                name: method.name().to_owned(),
                fee: Money::czk(method.fee(shipping)),
            })
            .collect()
    }
}

impl Checkout {
    fn missing_for_free_shipping(&self) -> i64 {
        rules::free_shipping_missing(self.0.totals.subtotal, self.0.totals.discount)
    }
}

/// What shipping costs before anything is in a cart (product pages, apps).
#[derive(SimpleObject)]
pub(crate) struct ShippingRates {
    /// The cheapest carrier's price.
    pub cheapest: Money,
    /// Goods (after discounts) from this amount ship free.
    pub free_from: Money,
}

/// A way to pay and its fee.
#[derive(SimpleObject)]
pub(crate) struct PaymentOption {
    pub method: PaymentMethod,
    pub name: String,
    pub fee: Money,
}

/// A way to ship the order, what it costs and when it arrives.
#[derive(SimpleObject)]
pub(crate) struct ShippingOption {
    /// The method, to choose it with `checkoutUpdate`.
    pub method: ShippingMethod,
    /// What shoppers see.
    pub name: String,
    /// Its price for this cart (free from the free-shipping threshold).
    pub price: Money,
    /// Whether a Zásilkovna pickup point must be chosen.
    pub needs_pickup_point: bool,
    /// The day the parcel arrives when ordered now (Prague working days, the carrier's cut-off
    /// and transit time); `null` while a line is short of stock.
    pub delivery_date: Option<NaiveDate>,
}

/// Changes of the checkout; omitted fields stay as they are.
#[derive(InputObject)]
pub(crate) struct CheckoutUpdateInput {
    pub cart_id: ID,
    pub email: Option<String>,
    pub shipping_address: Option<MailingAddressInput>,
    /// For an invoice to a company (IČO, DIČ); the shipping address when omitted.
    pub billing_address: Option<MailingAddressInput>,
    pub shipping_method: Option<ShippingMethod>,
    pub pickup_point_id: Option<String>,
    pub payment_method: Option<PaymentMethod>,
    /// A discount code; an empty string removes it.
    pub discount_code: Option<String>,
}

/// Places the order.
#[derive(InputObject)]
pub(crate) struct CheckoutCompleteInput {
    pub cart_id: ID,
    /// A key the client makes up once per order attempt: retrying with it returns the same order.
    pub idempotency_key: String,
}

/// The answer to a checkout change.
#[derive(SimpleObject, Default)]
pub(crate) struct CheckoutPayload {
    pub checkout: Option<Checkout>,
    pub user_errors: Vec<UserError>,
}

/// The answer to placing an order.
#[derive(SimpleObject, Default)]
pub(crate) struct CheckoutCompletePayload {
    pub order: Option<Order>,
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub(crate) struct CheckoutQuery;

#[Object]
impl CheckoutQuery {
    /// The checkout of a cart (same access rules as `cart`).
    async fn checkout(
        &self,
        ctx: &Context<'_>,
        cart_id: ID,
    ) -> async_graphql::Result<Option<Checkout>> {
        let cart_id = ids::decode_uuid_as(NodeType::Cart, &cart_id)?;
        let summary = service::summary(pool(ctx), customer(ctx), cart_id)
            .await
            .or_error()?;
        Ok(Some(Checkout(summary)))
    }

    /// The checkout of the visitor's cart (the one `currentCart` finds); null without a cart.
    async fn current_checkout(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Checkout>> {
        let guest = request_info(ctx).cart_cookie;
        let Some(cart) = crate::cart::service::current(pool(ctx), customer(ctx), guest).await?
        else {
            return Ok(None);
        };
        let summary = service::summary(pool(ctx), customer(ctx), cart.id)
            .await
            .or_error()?;
        Ok(Some(Checkout(summary)))
    }

    /// What shipping costs and from which amount it is free.
    async fn shipping_rates(&self) -> ShippingRates {
        let cheapest = ShippingMethod::carriers()
            .map(ShippingMethod::price)
            .min()
            .unwrap_or(0);
        ShippingRates {
            cheapest: Money::czk(cheapest),
            free_from: Money::czk(rules::FREE_SHIPPING_FROM),
        }
    }
}

#[derive(Default)]
pub(crate) struct CheckoutMutation;

#[Object]
impl CheckoutMutation {
    /// Sets contact, addresses, shipping, payment or the discount code; prices are recomputed.
    async fn checkout_update(
        &self,
        ctx: &Context<'_>,
        input: CheckoutUpdateInput,
    ) -> async_graphql::Result<CheckoutPayload> {
        let cart_id = ids::decode_uuid_as(NodeType::Cart, &input.cart_id)?;
        let mut errors = Errors::default();
        let shipping_address = input
            .shipping_address
            .as_ref()
            .and_then(|a| a.validate(&mut errors));
        let billing_address = input
            .billing_address
            .as_ref()
            .and_then(|a| a.validate(&mut errors));
        if !errors.is_empty() {
            return Ok(CheckoutPayload {
                checkout: None,
                user_errors: errors.0,
            });
        }
        let patch = Patch {
            email: input.email,
            shipping_address,
            billing_address,
            shipping_method: input.shipping_method,
            pickup_point_id: input.pickup_point_id,
            payment_method: input.payment_method,
            discount_code: input.discount_code,
        };
        if let Err(user_errors) = service::update(pool(ctx), customer(ctx), cart_id, patch)
            .await
            .or_user_errors()?
        {
            return Ok(CheckoutPayload {
                checkout: None,
                user_errors,
            });
        }
        let summary = service::summary(pool(ctx), customer(ctx), cart_id)
            .await
            .or_error()?;
        Ok(CheckoutPayload {
            checkout: Some(Checkout(summary)),
            user_errors: vec![],
        })
    }

    /// Places the order: reserves the stock (`OUT_OF_STOCK` when someone was faster), snapshots
    /// the cart, empties it and e-mails a confirmation.
    async fn checkout_complete(
        &self,
        ctx: &Context<'_>,
        input: CheckoutCompleteInput,
    ) -> async_graphql::Result<CheckoutCompletePayload> {
        let cart_id = ids::decode_uuid_as(NodeType::Cart, &input.cart_id)?;
        let key = input.idempotency_key.trim();
        if key.is_empty() || key.len() > 100 {
            let error = UserError::on(
                "idempotencyKey",
                "INVALID",
                "The idempotency key has 1 to 100 characters.",
            );
            return Ok(CheckoutCompletePayload {
                order: None,
                user_errors: vec![error],
            });
        }
        let payments = ctx.data_unchecked::<crate::payments::Payments>();
        let buyer = service::Buyer {
            customer: customer(ctx),
            ip: request_info(ctx).ip.as_deref(),
            payment_windows: payments.windows(),
            account: payments.account(),
        };
        let redis = ctx.data_unchecked::<crate::cache::Redis>();
        match service::complete(pool(ctx), redis, buyer, cart_id, key)
            .await
            .or_user_errors()?
        {
            Ok(number) => Ok(CheckoutCompletePayload {
                order: Order::by_number(pool(ctx), &number).await?,
                user_errors: vec![],
            }),
            Err(user_errors) => Ok(CheckoutCompletePayload {
                order: None,
                user_errors,
            }),
        }
    }
}

impl ToClient for CheckoutError {
    fn to_client(self) -> ClientError {
        match self {
            Self::Cart(error) => error.to_client(),
            Self::RateLimited(error) => error.to_client(),
            Self::Rejected(problems) => {
                ClientError::UserErrors(problems.iter().map(problem_error).collect())
            }
            Self::Database(error) => internal(error),
        }
    }
}

/// A checkout problem as a `userErrors` entry, at the input field it is about.
fn problem_error(problem: &Problem) -> UserError {
    let message = problem.to_string();
    let (field, code) = match problem {
        Problem::OutOfStock { line, .. } => {
            return UserError::at(&["lines", &line.to_string()], "OUT_OF_STOCK", &message);
        }
        Problem::InvalidEmail(_) => ("email", "INVALID"),
        Problem::InvalidPickupPoint => ("pickupPointId", "INVALID"),
        Problem::UnknownDiscountCode => ("discountCode", "INVALID_DISCOUNT_CODE"),
        Problem::EmptyCart => ("cartId", "EMPTY_CART"),
        Problem::Missing(field) => (input_field(*field), "MISSING"),
        Problem::DiscountNotApplicable(_) => ("discountCode", "DISCOUNT_NOT_APPLICABLE"),
        Problem::IdempotencyKeyReused => ("idempotencyKey", "IDEMPOTENCY_KEY_REUSED"),
    };
    UserError::on(field, code, &message)
}

/// The input field that sets a part of the checkout.
fn input_field(field: Field) -> &'static str {
    match field {
        Field::Email => "email",
        Field::ShippingAddress => "shippingAddress",
        Field::ShippingMethod => "shippingMethod",
        Field::PickupPoint => "pickupPointId",
        Field::Phone => "shippingAddress",
        Field::PaymentMethod => "paymentMethod",
    }
}

fn pool<'a>(ctx: &Context<'a>) -> &'a PgPool {
    ctx.data_unchecked::<PgPool>()
}

fn customer(ctx: &Context<'_>) -> Option<i64> {
    crate::auth::customer_id(ctx)
}
