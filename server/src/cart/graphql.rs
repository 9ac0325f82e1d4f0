//! The cart part of the schema.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use sqlx::types::Uuid;

use super::service::{self, Adjustment, LineRequest, Mode};
use super::store::{self, PricedLine};
use super::{CartError, LineProblem};
use crate::auth::cookies::{CART_COOKIE, CookiePolicy, set_cookie};
use crate::auth::{SignedInGuard, request_info, require_signed_in};
use crate::catalog::graphql::{ProductVariant, catalog_loader};
use crate::catalog::loaders::VariantId;
use crate::error::{ErrorCode, api_error};
use crate::graphql::domain_errors::{ClientError, ServiceResult, ToClient, internal};
use crate::graphql::user_error::UserError;
use crate::ids::{self, NodeType};
use crate::money::{Money, VatLine, vat_breakdown};

/// Most lines one mutation may send.
const MAX_LINES_PER_CHANGE: usize = 100;

/// A shopping cart. Its id is a secret: whoever has a guest cart's id may use it; a customer's
/// cart is theirs alone.
pub(crate) struct Cart {
    cart: store::Cart,
    lines: Vec<PricedLine>,
}

impl Cart {
    async fn load(pool: &PgPool, cart: store::Cart) -> async_graphql::Result<Self> {
        let lines = store::priced_lines(pool, cart.id).await?;
        Ok(Self { cart, lines })
    }
}

/// A shopping cart, priced from the current catalog (VAT included).
#[Object]
impl Cart {
    /// Global ID; keep it to come back to the cart.
    async fn id(&self) -> ID {
        ids::encode_uuid(NodeType::Cart, self.cart.id)
    }

    /// The lines, oldest first.
    async fn lines(&self) -> Vec<CartLine> {
        self.lines.iter().cloned().map(CartLine).collect()
    }

    /// Units in the cart.
    async fn total_quantity(&self) -> i64 {
        self.lines.iter().map(|l| i64::from(l.quantity)).sum()
    }

    /// Sum of the lines, VAT included.
    async fn subtotal(&self) -> Money {
        Money::czk(self.lines.iter().map(PricedLine::total).sum())
    }

    /// Net, VAT and gross of the lines per VAT rate.
    async fn vat_breakdown(&self) -> Vec<VatLine> {
        vat_breakdown(
            self.lines
                .iter()
                .map(|l| (l.vat_rate, Money::czk(l.total()))),
        )
    }

    /// When the cart last changed; guest carts expire 30 days after.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.cart.updated_at
    }
}

/// A variant in the cart and how many.
pub(crate) struct CartLine(PricedLine);

/// A variant in the cart and how many.
#[Object]
impl CartLine {
    /// The variant (its product, options, images…).
    async fn variant(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ProductVariant>> {
        Ok(catalog_loader(ctx)
            .load_one(VariantId(self.0.variant_id))
            .await?
            .map(ProductVariant::from))
    }

    async fn quantity(&self) -> i32 {
        self.0.quantity
    }

    /// Current price of one unit, VAT included.
    async fn unit_price(&self) -> Money {
        Money::czk(self.0.price_gross)
    }

    /// Unit price × quantity.
    async fn total(&self) -> Money {
        Money::czk(self.0.total())
    }

    /// Units that can be bought now; less than `quantity` when stock ran out meanwhile.
    async fn quantity_available(&self) -> i32 {
        self.0.available
    }
}

/// A variant and a quantity.
#[derive(InputObject)]
pub(crate) struct CartLineInput {
    pub variant_id: ID,
    pub quantity: i32,
}

/// Lines of a new cart.
#[derive(InputObject, Default)]
pub(crate) struct CartCreateInput {
    #[graphql(default)]
    pub lines: Vec<CartLineInput>,
}

/// Lines to add to, or to set in, a cart.
#[derive(InputObject)]
pub(crate) struct CartLinesInput {
    pub cart_id: ID,
    pub lines: Vec<CartLineInput>,
}

/// Variants to take out of a cart.
#[derive(InputObject)]
pub(crate) struct CartLinesRemoveInput {
    pub cart_id: ID,
    pub variant_ids: Vec<ID>,
}

/// A guest cart to merge into the signed-in customer's cart.
#[derive(InputObject)]
pub(crate) struct CartMergeGuestInput {
    pub guest_cart_id: ID,
}

/// The answer to a cart change: the cart, or why nothing changed.
#[derive(SimpleObject, Default)]
pub(crate) struct CartPayload {
    pub cart: Option<Cart>,
    pub user_errors: Vec<UserError>,
}

/// The answer to merging a guest cart: the customer's cart and every cut quantity.
#[derive(SimpleObject)]
pub(crate) struct CartMergePayload {
    pub cart: Cart,
    pub adjustments: Vec<CartAdjustment>,
}

/// A quantity the merge could not keep (stock or the per-line limit).
#[derive(SimpleObject)]
pub(crate) struct CartAdjustment {
    pub variant_id: ID,
    /// What the two carts held together.
    pub requested: i32,
    /// What the cart holds now.
    pub applied: i32,
}

impl From<Adjustment> for CartAdjustment {
    fn from(a: Adjustment) -> Self {
        Self {
            variant_id: ids::encode(NodeType::ProductVariant, a.variant_id),
            requested: a.requested,
            applied: a.applied,
        }
    }
}

#[derive(Default)]
pub(crate) struct CartQuery;

#[Object]
impl CartQuery {
    /// A cart by its ID: `NOT_FOUND` when there is none (or a guest cart expired), `FORBIDDEN`
    /// for another customer's cart.
    async fn cart(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Cart>> {
        let cart_id = ids::decode_uuid_as(NodeType::Cart, &id)?;
        let cart = service::usable(pool(ctx), customer(ctx), cart_id)
            .await
            .or_error()?;
        Cart::load(pool(ctx), cart).await.map(Some)
    }

    /// The visitor's cart: a signed-in customer's own cart, otherwise the guest cart the
    /// storefront keeps in its cookie; null when there is none yet.
    async fn current_cart(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Cart>> {
        let guest = request_info(ctx).cart_cookie;
        match service::current(pool(ctx), customer(ctx), guest).await? {
            Some(cart) => Cart::load(pool(ctx), cart).await.map(Some),
            None => Ok(None),
        }
    }
}

#[derive(Default)]
pub(crate) struct CartMutation;

#[Object]
impl CartMutation {
    /// Creates a cart with these lines. A signed-in customer has one cart: the lines are added to
    /// it. In the storefront, a guest's lines go to the cart of its cookie (set here when new).
    async fn cart_create(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] input: CartCreateInput,
    ) -> async_graphql::Result<CartPayload> {
        let lines = requests(&input.lines)?;
        let info = request_info(ctx);
        let guest = info.cart_cookie.filter(|_| info.same_origin_browser);
        if customer(ctx).is_none() && guest.is_none() {
            // A new guest cart: rows in the database for anyone, so the addresses that make
            // them are limited.
            let redis = ctx.data_unchecked::<crate::cache::Redis>();
            let ip = info.ip.as_deref().unwrap_or("-");
            crate::rate_limit::check(redis, crate::rate_limit::CARTS_PER_IP, ip)
                .await
                .or_error()?;
        }
        let outcome = service::create(pool(ctx), customer(ctx), guest, &lines)
            .await
            .or_user_errors()?;
        if let Ok(cart_id) = outcome
            && customer(ctx).is_none()
            && info.same_origin_browser
            && guest != Some(cart_id)
        {
            let secure = ctx.data_unchecked::<CookiePolicy>().secure;
            let max_age = super::GUEST_CART_LIFETIME.as_secs();
            ctx.append_http_header(
                "set-cookie",
                set_cookie(CART_COOKIE, &cart_id.to_string(), max_age, secure),
            );
        }
        respond(ctx, outcome).await
    }

    /// Adds quantities to a cart; refused lines (stock, quantity, unknown variant) change nothing.
    async fn cart_lines_add(
        &self,
        ctx: &Context<'_>,
        input: CartLinesInput,
    ) -> async_graphql::Result<CartPayload> {
        change_lines(ctx, input, Mode::Add).await
    }

    /// Sets the quantities of lines (remove a line with `cartLinesRemove`).
    async fn cart_lines_update(
        &self,
        ctx: &Context<'_>,
        input: CartLinesInput,
    ) -> async_graphql::Result<CartPayload> {
        change_lines(ctx, input, Mode::Set).await
    }

    /// Takes variants out of a cart.
    async fn cart_lines_remove(
        &self,
        ctx: &Context<'_>,
        input: CartLinesRemoveInput,
    ) -> async_graphql::Result<CartPayload> {
        let cart_id = ids::decode_uuid_as(NodeType::Cart, &input.cart_id)?;
        let variant_ids = input
            .variant_ids
            .iter()
            .map(|id| ids::decode_as(NodeType::ProductVariant, id))
            .collect::<Result<Vec<_>, _>>()?;
        service::remove(pool(ctx), customer(ctx), cart_id, &variant_ids)
            .await
            .or_error()?;
        respond(ctx, Ok(cart_id)).await
    }

    /// Merges a guest cart into the signed-in customer's cart after signing in: quantities are
    /// added and capped by stock; every cut is reported.
    #[graphql(guard = "SignedInGuard")]
    async fn cart_merge_guest(
        &self,
        ctx: &Context<'_>,
        input: CartMergeGuestInput,
    ) -> async_graphql::Result<CartMergePayload> {
        let viewer = require_signed_in(ctx)?;
        let guest = ids::decode_uuid_as(NodeType::Cart, &input.guest_cart_id)?;
        let (cart_id, adjustments) = service::merge_guest(pool(ctx), viewer.customer_id, guest)
            .await
            .or_error()?;
        let cart = service::usable(pool(ctx), Some(viewer.customer_id), cart_id)
            .await
            .or_error()?;
        Ok(CartMergePayload {
            cart: Cart::load(pool(ctx), cart).await?,
            adjustments: adjustments.into_iter().map(Into::into).collect(),
        })
    }
}

/// Adds or sets the lines of `input`'s cart and answers with the cart or the refusals.
async fn change_lines(
    ctx: &Context<'_>,
    input: CartLinesInput,
    mode: Mode,
) -> async_graphql::Result<CartPayload> {
    let cart_id = ids::decode_uuid_as(NodeType::Cart, &input.cart_id)?;
    let lines = requests(&input.lines)?;
    respond(
        ctx,
        service::change(pool(ctx), customer(ctx), cart_id, &lines, mode)
            .await
            .or_user_errors()?,
    )
    .await
}

fn requests(lines: &[CartLineInput]) -> async_graphql::Result<Vec<LineRequest>> {
    if lines.len() > MAX_LINES_PER_CHANGE {
        return Err(crate::error::bad_input(format!(
            "at most {MAX_LINES_PER_CHANGE} lines at once"
        )));
    }
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            Ok(LineRequest {
                index,
                variant_id: ids::decode_as(NodeType::ProductVariant, &line.variant_id)?,
                quantity: line.quantity,
            })
        })
        .collect()
}

async fn respond(
    ctx: &Context<'_>,
    outcome: Result<Uuid, Vec<UserError>>,
) -> async_graphql::Result<CartPayload> {
    match outcome {
        Ok(cart_id) => {
            let cart = service::usable(pool(ctx), customer(ctx), cart_id)
                .await
                .or_error()?;
            Ok(CartPayload {
                cart: Some(Cart::load(pool(ctx), cart).await?),
                user_errors: vec![],
            })
        }
        Err(user_errors) => Ok(CartPayload {
            cart: None,
            user_errors,
        }),
    }
}

impl ToClient for CartError {
    fn to_client(self) -> ClientError {
        let code = match &self {
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::NotYours => ErrorCode::Forbidden,
            Self::Lines(problems) => {
                return ClientError::UserErrors(problems.iter().map(line_error).collect());
            }
            Self::Database(_) => return internal(self),
        };
        ClientError::Error(api_error(code, self.to_string()))
    }
}

/// A refused line as a `userErrors` entry under `input.lines.<index>`.
fn line_error(problem: &LineProblem) -> UserError {
    let (line, field, code) = match *problem {
        LineProblem::InvalidQuantity { line } | LineProblem::OverLineLimit { line } => {
            (line, "quantity", "INVALID_QUANTITY")
        }
        LineProblem::UnknownVariant { line } => (line, "variantId", "UNKNOWN_VARIANT"),
        LineProblem::OutOfStock { line, .. } => (line, "quantity", "INSUFFICIENT_STOCK"),
    };
    UserError::at(
        &["lines", &line.to_string(), field],
        code,
        &problem.to_string(),
    )
}

fn pool<'a>(ctx: &Context<'a>) -> &'a PgPool {
    ctx.data_unchecked::<PgPool>()
}

fn customer(ctx: &Context<'_>) -> Option<i64> {
    crate::auth::customer_id(ctx)
}
