//! The orders part of the schema: an order with its lines, totals and timeline.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use async_graphql::dataloader::DataLoader;

use super::OrderError;
use super::live::{LiveOrders, OrderStatusChange};
use super::loaders::{EventsOf, LinesOf, OrdersLoader};
use super::service::{self, Actor};
use super::status::OrderStatus;
use super::store;
use crate::address::MailingAddress;
use crate::auth::{
    AdminGuard, Role, SignedIn, SignedInGuard, Viewer, request_info, require_admin,
    require_signed_in,
};
use crate::delivery::{PaymentMethod, ShippingMethod};
use crate::error::{ErrorCode, api_error, bad_input, not_found};
use crate::graphql::domain_errors::{ClientError, ServiceResult, ToClient, internal};
use crate::graphql::pagination::{PageInfo, PageRequest};
use crate::graphql::user_error::UserError;
use crate::ids::{self, NodeType};
use crate::money::Money;

/// A placed order: what was bought at which prices, where it goes, and its history. Prices,
/// names and addresses are as they were when it was placed.
pub(crate) struct Order {
    pub(crate) order: store::Order,
    version: i32,
}

impl Order {
    /// The order with this number, if any.
    /// The stored order.
    pub(crate) fn row(&self) -> &store::Order {
        &self.order
    }

    pub(crate) async fn by_number(pool: &PgPool, number: &str) -> sqlx::Result<Option<Self>> {
        Ok(store::by_number_with_version(pool, number)
            .await?
            .map(|(order, version)| Self { order, version }))
    }

    fn address(&self, billing: bool) -> MailingAddress {
        let fields = if billing {
            &self.order.billing_address
        } else {
            &self.order.shipping_address
        };
        MailingAddress::snapshot(fields.0.clone())
    }
}

/// A placed order.
#[Object]
impl Order {
    /// Order number, e.g. `2026000123`: unique, sequential within a year.
    async fn number(&self) -> &str {
        &self.order.number
    }

    /// Changes with every update; admins send it back as `expectedVersion` (optimistic locking).
    async fn version(&self) -> i32 {
        self.version
    }

    /// Where the order is in its life.
    async fn status(&self) -> OrderStatus {
        self.order.status
    }

    async fn email(&self) -> &str {
        &self.order.email
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.order.created_at
    }

    /// The lines as bought.
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OrderLine>> {
        let rows = ctx
            .data_unchecked::<DataLoader<OrdersLoader>>()
            .load_one(LinesOf(self.order.id))
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|l| OrderLine {
                sku: l.sku,
                product_name: l.product_name,
                variant_title: l.variant_title,
                quantity: l.quantity,
                unit_price: Money::czk(l.unit_price),
                vat_rate: l.vat_rate.as_i32(),
                total: Money::czk(l.total),
            })
            .collect())
    }

    async fn shipping_address(&self) -> MailingAddress {
        self.address(false)
    }

    async fn billing_address(&self) -> MailingAddress {
        self.address(true)
    }

    /// Shipping method code, e.g. `ZASILKOVNA`.
    async fn shipping_method(&self) -> &str {
        &self.order.shipping_method
    }

    /// What shoppers call the shipping method, e.g. `Zásilkovna – výdejní místo`.
    async fn shipping_method_name(&self) -> String {
        shipping_method_name(&self.order)
    }

    async fn pickup_point_id(&self) -> Option<&str> {
        self.order.pickup_point_id.as_deref()
    }

    /// The pickup point's name when the order was placed.
    async fn pickup_point_name(&self) -> Option<&str> {
        self.order.pickup_point_name.as_deref()
    }

    /// The pickup point's address when the order was placed.
    async fn pickup_point_address(&self) -> Option<&str> {
        self.order.pickup_point_address.as_deref()
    }

    /// Payment method code, e.g. `BANK_TRANSFER`.
    async fn payment_method(&self) -> &str {
        &self.order.payment_method
    }

    /// What shoppers call the payment method, e.g. `Bankovním převodem`.
    async fn payment_method_name(&self) -> String {
        PaymentMethod::parse(&self.order.payment_method)
            .map_or_else(|| self.order.payment_method.clone(), |m| m.name().into())
    }

    async fn discount_code(&self) -> Option<&str> {
        self.order.discount_code.as_deref()
    }

    async fn subtotal(&self) -> Money {
        Money::czk(self.order.subtotal)
    }

    async fn discount(&self) -> Money {
        Money::czk(self.order.discount)
    }

    async fn shipping(&self) -> Money {
        Money::czk(self.order.shipping)
    }

    async fn payment_fee(&self) -> Money {
        Money::czk(self.order.payment_fee)
    }

    /// Cash on delivery: the rounding to whole crowns (outside the VAT base); zero otherwise.
    async fn rounding(&self) -> Money {
        Money::czk(self.order.rounding)
    }

    async fn total(&self) -> Money {
        Money::czk(self.order.total)
    }

    /// Net, VAT and gross per rate.
    async fn vat_breakdown(&self) -> Vec<OrderVatLine> {
        let rows: Vec<(i32, i64, i64, i64)> =
            serde_json::from_value(self.order.vat_breakdown.clone()).unwrap_or_default();
        rows.into_iter()
            .map(|(rate, net, vat, gross)| OrderVatLine {
                rate,
                net: Money::czk(net),
                vat: Money::czk(vat),
                gross: Money::czk(gross),
            })
            .collect()
    }

    /// Carrier the parcel travels with.
    async fn carrier(&self) -> Option<&str> {
        self.order.carrier.as_deref()
    }

    /// The carrier's tracking number.
    async fn tracking_number(&self) -> Option<&str> {
        self.order.tracking_number.as_deref()
    }

    /// Staff notes, oldest first. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn internal_notes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let rows = store::notes(ctx.data_unchecked::<PgPool>(), self.order.id).await?;
        Ok(rows
            .into_iter()
            .map(|(at, note)| format!("{} {note}", at.format("%Y-%m-%d %H:%M")))
            .collect())
    }

    /// Every status change: when, from, to, note.
    async fn timeline(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OrderEvent>> {
        let rows = ctx
            .data_unchecked::<DataLoader<OrdersLoader>>()
            .load_one(EventsOf(self.order.id))
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|e| OrderEvent {
                occurred_at: e.occurred_at,
                from_status: e.from_status,
                to_status: e.to_status,
                note: e.note,
            })
            .collect())
    }
}

/// A bought line, as it was at the time of the order.
#[derive(SimpleObject)]
pub(crate) struct OrderLine {
    pub sku: String,
    pub product_name: String,
    pub variant_title: String,
    pub quantity: i32,
    pub unit_price: Money,
    pub vat_rate: i32,
    pub total: Money,
}

/// Net, VAT and gross of an order at one rate.
#[derive(SimpleObject)]
pub(crate) struct OrderVatLine {
    pub rate: i32,
    pub net: Money,
    pub vat: Money,
    pub gross: Money,
}

/// A status change of an order.
#[derive(SimpleObject)]
pub(crate) struct OrderEvent {
    pub occurred_at: DateTime<Utc>,
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub note: String,
}

#[derive(Default)]
pub(crate) struct OrdersQuery;

#[Object]
impl OrdersQuery {
    /// One of the signed-in customer's orders by number (admins: any order; in the storefront,
    /// also a guest order placed from the browser's cart). `NOT_FOUND` for anyone else's, so
    /// numbers reveal nothing.
    async fn order(
        &self,
        ctx: &Context<'_>,
        number: String,
    ) -> async_graphql::Result<Option<Order>> {
        visible_order(ctx, &number).await.map(Some)
    }

    /// The state of a guest's order by its number and the e-mail it was placed with: no more
    /// than its parcel's label tells (20 look-ups per 5 minutes and IP, `RATE_LIMITED` beyond).
    /// Registered customers' orders are found by signing in, never here.
    async fn order_lookup(
        &self,
        ctx: &Context<'_>,
        number: String,
        email: String,
    ) -> async_graphql::Result<Option<OrderTracking>> {
        let ip = request_info(ctx).ip.clone().unwrap_or_else(|| "-".into());
        crate::rate_limit::check(
            ctx.data_unchecked::<crate::cache::Redis>(),
            crate::rate_limit::ORDER_LOOKUPS_PER_IP,
            &ip,
        )
        .await
        .or_error()?;
        let order = Order::by_number(ctx.data_unchecked::<PgPool>(), &number).await?;
        match order {
            Some(Order { order, .. })
                if order.customer_id.is_none()
                    && order.email.eq_ignore_ascii_case(email.trim()) =>
            {
                Ok(Some(OrderTracking::of(&order)))
            }
            _ => Err(not_found("Order", &number)),
        }
    }
}

/// What anyone holding a guest order's number and e-mail may learn: what its parcel's label
/// would tell, without the address, phone, e-mail, items or prices.
#[derive(SimpleObject)]
pub(crate) struct OrderTracking {
    /// Order number.
    pub number: String,
    /// The order's status (as `Order.status`).
    pub status: OrderStatus,
    /// When it was placed.
    pub created_at: DateTime<Utc>,
    /// What shoppers call the shipping method.
    pub shipping_method_name: String,
    /// Carrier the parcel travels with, once shipped.
    pub carrier: Option<String>,
    /// The carrier's tracking number, once shipped.
    pub tracking_number: Option<String>,
}

impl OrderTracking {
    fn of(order: &store::Order) -> Self {
        Self {
            number: order.number.clone(),
            status: order.status,
            created_at: order.created_at,
            shipping_method_name: shipping_method_name(order),
            carrier: order.carrier.clone(),
            tracking_number: order.tracking_number.clone(),
        }
    }
}

fn shipping_method_name(order: &store::Order) -> String {
    ShippingMethod::parse(&order.shipping_method)
        .map_or_else(|| order.shipping_method.clone(), |m| m.name().into())
}

/// The order, if the caller may see it; `NOT_FOUND` otherwise.
/// The order `number` if the caller may see it, else `NOT_FOUND`.
pub(crate) async fn visible_order(ctx: &Context<'_>, number: &str) -> async_graphql::Result<Order> {
    let viewer = ctx.data_opt::<Viewer>().and_then(|v| v.0);
    let guest_cart = request_info(ctx).cart_cookie.map(|id| id.to_string());
    match Order::by_number(pool(ctx), number).await? {
        Some(order) if may_see(&order.order, viewer, guest_cart.as_deref()) => Ok(order),
        _ => Err(not_found("Order", number)),
    }
}

/// Whether the caller may see an order: its customer, an admin, or (an unclaimed guest order)
/// the browser whose cart placed it.
fn may_see(order: &store::Order, viewer: Option<SignedIn>, guest_cart: Option<&str>) -> bool {
    match (viewer, order.customer_id) {
        (Some(viewer), _) if viewer.role == Role::Admin => true,
        (Some(viewer), Some(owner)) => viewer.customer_id == owner,
        (_, None) => guest_cart == Some(order.cart_fingerprint.as_str()),
        (None, Some(_)) => false,
    }
}

/// A status change by staff.
#[derive(InputObject)]
pub(crate) struct OrderStatusUpdateInput {
    pub number: String,
    /// The new status.
    pub status: OrderStatus,
    /// The `version` the admin saw; a newer one means someone else changed the order meanwhile.
    pub expected_version: i32,
    #[graphql(default)]
    pub note: String,
}

/// The carrier and tracking number of a shipped order.
#[derive(InputObject)]
pub(crate) struct OrderTrackingUpdateInput {
    pub number: String,
    pub carrier: String,
    pub tracking_number: String,
    pub expected_version: i32,
}

/// A staff note.
#[derive(InputObject)]
pub(crate) struct OrderNoteAddInput {
    pub number: String,
    pub note: String,
}

/// Which orders an admin lists.
#[derive(InputObject, Default)]
pub(crate) struct OrderFilterInput {
    pub status: Option<OrderStatus>,
    pub customer_id: Option<ID>,
    /// Placed at or after.
    pub from: Option<DateTime<Utc>>,
    /// Placed before.
    pub to: Option<DateTime<Utc>>,
    /// Total bounds in haléř.
    pub min_total: Option<i64>,
    pub max_total: Option<i64>,
    /// Only guest orders (`true`) or only registered customers' (`false`). Guest orders that
    /// wait in `PROCESSING` (cash on delivery) hold stock until staff confirm or cancel them:
    /// `{ guest: true, status: PROCESSING }` lists them for `ordersCancel`.
    pub guest: Option<bool>,
}

/// Orders to cancel at once.
#[derive(InputObject)]
pub(crate) struct OrdersCancelInput {
    /// Order numbers (at most 100).
    pub numbers: Vec<String>,
    /// Why, for the timeline (e.g. "Nepotvrzená objednávka").
    pub note: String,
}

/// The answer to a bulk cancel: the orders cancelled, and why the others were not.
#[derive(SimpleObject, Default)]
pub(crate) struct OrdersCancelPayload {
    pub cancelled: Vec<Order>,
    /// One entry per order left as it was; `field` is `["numbers", index]`.
    pub user_errors: Vec<UserError>,
}

/// The answer to an order change.
#[derive(SimpleObject, Default)]
pub(crate) struct OrderPayload {
    pub order: Option<Order>,
    pub user_errors: Vec<UserError>,
}

/// A page of orders.
#[derive(SimpleObject)]
pub(crate) struct OrderConnection {
    pub nodes: Vec<Order>,
    pub page_info: PageInfo,
}

/// A page of orders matching `filter`, newest first.
pub(crate) async fn order_page(
    pool: &PgPool,
    filter: &store::OrderFilter,
    page: PageRequest,
) -> async_graphql::Result<OrderConnection> {
    let mut rows = store::list(pool, filter, page.offset, page.limit + 1).await?;
    let more = rows.len() as i64 > page.limit;
    rows.truncate(page.limit as usize);
    let nodes: Vec<Order> = rows
        .into_iter()
        .map(|(order, version)| Order { order, version })
        .collect();
    Ok(OrderConnection {
        page_info: PageInfo::new(page, nodes.len(), more),
        nodes,
    })
}

#[derive(Default)]
pub(crate) struct OrdersAdminQuery;

#[Object]
impl OrdersAdminQuery {
    /// Orders, newest first, filtered by status, date range, customer and total. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] filter: OrderFilterInput,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<OrderConnection> {
        let page = PageRequest::from_args(first, after.as_deref(), None, None)?;
        let filter = store::OrderFilter {
            status: filter.status,
            customer_id: filter
                .customer_id
                .map(|id| ids::decode_as(NodeType::Customer, &id))
                .transpose()?,
            from: filter.from,
            to: filter.to,
            min_total: filter.min_total,
            max_total: filter.max_total,
            guest: filter.guest,
        };
        order_page(ctx.data_unchecked::<PgPool>(), &filter, page).await
    }
}

#[derive(Default)]
pub(crate) struct OrdersMutation;

#[Object]
impl OrdersMutation {
    /// Cancels one of the signed-in customer's orders before it ships; its stock is released.
    #[graphql(guard = "SignedInGuard")]
    async fn order_cancel(
        &self,
        ctx: &Context<'_>,
        number: String,
    ) -> async_graphql::Result<OrderPayload> {
        let viewer = require_signed_in(ctx)?;
        let outcome = service::change_status(
            pool(ctx),
            &number,
            OrderStatus::Cancelled,
            Actor::Customer(viewer.customer_id),
            "Zrušeno zákazníkem",
        )
        .await
        .or_user_errors()?;
        announce(ctx, &number, outcome).await
    }

    /// Moves an order to another status (only allowed transitions; optimistic locking). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn order_status_update(
        &self,
        ctx: &Context<'_>,
        input: OrderStatusUpdateInput,
    ) -> async_graphql::Result<OrderPayload> {
        let admin = require_admin(ctx)?;
        let actor = Actor::Admin {
            id: admin.customer_id,
            expected_version: input.expected_version,
        };
        let outcome = service::change_status(
            pool(ctx),
            &input.number,
            input.status,
            actor,
            input.note.trim(),
        )
        .await
        .or_user_errors()?;
        announce(ctx, &input.number, outcome).await
    }

    /// Cancels several orders at once (e.g. unconfirmed guest orders that hold stock), releasing
    /// their stock; each order goes through the same rules as `orderStatusUpdate`. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn orders_cancel(
        &self,
        ctx: &Context<'_>,
        input: OrdersCancelInput,
    ) -> async_graphql::Result<OrdersCancelPayload> {
        let admin = require_admin(ctx)?;
        if input.numbers.len() > 100 {
            return Err(bad_input("at most 100 orders at once"));
        }
        let note = input.note.trim();
        let mut payload = OrdersCancelPayload::default();
        for (index, number) in input.numbers.iter().enumerate() {
            let current = Order::by_number(pool(ctx), number).await?;
            let index = index.to_string();
            let at = ["numbers", index.as_str()];
            let Some(current) = current else {
                let error = UserError::at(&at, "NOT_FOUND", "Objednávka neexistuje.");
                payload.user_errors.push(error);
                continue;
            };
            let actor = Actor::Admin {
                id: admin.customer_id,
                expected_version: current.version,
            };
            let cancel = OrderStatus::Cancelled;
            let outcome = service::change_status(pool(ctx), number, cancel, actor, note).await;
            match outcome.or_user_errors()? {
                Ok(change) => {
                    ctx.data_unchecked::<LiveOrders>().publish(change).await;
                    payload
                        .cancelled
                        .extend(Order::by_number(pool(ctx), number).await?);
                }
                Err(errors) => payload.user_errors.extend(
                    errors
                        .iter()
                        .map(|error| UserError::at(&at, &error.code, &error.message)),
                ),
            }
        }
        Ok(payload)
    }

    /// Sets the carrier and tracking number. Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn order_tracking_update(
        &self,
        ctx: &Context<'_>,
        input: OrderTrackingUpdateInput,
    ) -> async_graphql::Result<OrderPayload> {
        require_admin(ctx)?;
        let (carrier, tracking) = (input.carrier.trim(), input.tracking_number.trim());
        if carrier.is_empty() || tracking.is_empty() || carrier.len() > 50 || tracking.len() > 50 {
            return Ok(OrderPayload {
                order: None,
                user_errors: vec![UserError::whole(
                    "INVALID",
                    "Vyplňte dopravce a číslo zásilky.",
                )],
            });
        }
        let outcome = service::set_tracking(
            pool(ctx),
            &input.number,
            input.expected_version,
            carrier,
            tracking,
        )
        .await
        .or_user_errors()?;
        payload(ctx, &input.number, outcome).await
    }

    /// Adds a staff note (not shown to the customer). Admins only.
    #[graphql(guard = "AdminGuard")]
    async fn order_note_add(
        &self,
        ctx: &Context<'_>,
        input: OrderNoteAddInput,
    ) -> async_graphql::Result<OrderPayload> {
        let admin = require_admin(ctx)?;
        let note = input.note.trim();
        if note.is_empty() || note.chars().count() > 2000 {
            return Ok(OrderPayload {
                order: None,
                user_errors: vec![UserError::on(
                    "note",
                    "INVALID",
                    "Poznámka má 1 až 2000 znaků.",
                )],
            });
        }
        let order = Order::by_number(pool(ctx), &input.number)
            .await?
            .ok_or_else(|| not_found("Order", &input.number))?;
        store::add_note(pool(ctx), order.order.id, admin.customer_id, note).await?;
        payload(ctx, &input.number, Ok(())).await
    }
}

/// Publishes a status change to live subscribers, then answers like [`payload`].
async fn announce(
    ctx: &Context<'_>,
    number: &str,
    outcome: Result<OrderStatusChange, Vec<UserError>>,
) -> async_graphql::Result<OrderPayload> {
    let outcome = match outcome {
        Ok(change) => {
            if change.to_status == OrderStatus::Cancelled {
                // Its stock is back on sale: cached listings and pages make way.
                let redis = ctx.data_unchecked::<crate::cache::Redis>();
                crate::catalog::catalog_changed(redis).await;
            }
            ctx.data_unchecked::<LiveOrders>().publish(change).await;
            Ok(())
        }
        Err(error) => Err(error),
    };
    payload(ctx, number, outcome).await
}

async fn payload(
    ctx: &Context<'_>,
    number: &str,
    outcome: Result<(), Vec<UserError>>,
) -> async_graphql::Result<OrderPayload> {
    match outcome {
        Ok(()) => Ok(OrderPayload {
            order: Order::by_number(pool(ctx), number).await?,
            user_errors: vec![],
        }),
        Err(user_errors) => Ok(OrderPayload {
            order: None,
            user_errors,
        }),
    }
}

impl ToClient for OrderError {
    fn to_client(self) -> ClientError {
        let message = self.to_string();
        let user_error = match &self {
            Self::NotFound(_) => {
                return ClientError::Error(api_error(ErrorCode::NotFound, message));
            }
            Self::OnlyCancelAllowed => {
                return ClientError::Error(api_error(ErrorCode::Forbidden, message));
            }
            Self::Database(_) => return internal(self),
            Self::Conflict => UserError::on("expectedVersion", "CONFLICT", &message),
            Self::InvalidTransition { .. } => {
                UserError::on("status", "INVALID_TRANSITION", &message)
            }
        };
        ClientError::UserErrors(vec![user_error])
    }
}

fn pool<'a>(ctx: &Context<'a>) -> &'a PgPool {
    ctx.data_unchecked::<PgPool>()
}

#[derive(Default)]
pub(crate) struct OrdersSubscription;

#[async_graphql::Subscription]
impl OrdersSubscription {
    /// Every status change of an order the caller may see (as `order(number)`), live, whichever
    /// server instance made it.
    async fn order_status_changed(
        &self,
        ctx: &Context<'_>,
        number: String,
    ) -> async_graphql::Result<impl futures_util::Stream<Item = OrderStatusChange> + use<>> {
        let signed_in = ctx.data_opt::<Viewer>().is_some_and(|v| v.0.is_some());
        if !signed_in && request_info(ctx).cart_cookie.is_none() {
            return Err(crate::error::api_error(
                crate::error::ErrorCode::Unauthenticated,
                "Sign in to follow an order.",
            ));
        }
        visible_order(ctx, &number).await?;
        let receiver = ctx.data_unchecked::<LiveOrders>().subscribe();
        Ok(futures_util::stream::unfold(
            (receiver, number),
            |(mut receiver, number)| async move {
                loop {
                    match receiver.recv().await {
                        Ok(change) if change.number == number => {
                            return Some((change, (receiver, number)));
                        }
                        Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                            continue;
                        }
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                    }
                }
            },
        ))
    }
}
