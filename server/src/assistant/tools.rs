//! The shop's tools for assistants, defined once: name, description, the JSON Schema of the
//! arguments, and what they do with the caller's rights. The built-in assistant, the language
//! model and outside agents (MCP) all use these and nothing else, so no tool can do what the
//! caller could not do through GraphQL: carts and orders are only ever the caller's own.

use serde_json::{Value, json};
use sqlx::PgPool;
use sqlx::types::Uuid;

use crate::cart::service::{self as carts, LineRequest, Mode};
use crate::catalog::filter::{AttributeCondition, CategoryScope, ProductFilter};
use crate::catalog::store::{self as catalog, ProductCard, ProductOrder};
use crate::catalog::tree::CategoryTree;
use crate::checkout::rules::FREE_SHIPPING_FROM;
use crate::delivery::ShippingMethod;
use crate::money::Money;

/// Most products one search returns.
const MAX_RESULTS: i64 = 10;

/// Whose rights a tool runs with.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Caller {
    /// The signed-in customer.
    pub customer: Option<i64>,
    /// The guest's cart (the storefront's cookie, or the cart id an agent was given).
    pub cart: Option<Uuid>,
}

/// A tool as a model or an agent sees it.
pub(crate) struct Definition {
    pub name: &'static str,
    pub description: &'static str,
    pub parameters: Value,
}

/// What a tool gave: data for the model (never instructions) and the products it named.
#[derive(Debug, Clone, Default)]
pub(crate) struct Output {
    pub data: Value,
    pub products: Vec<ProductCard>,
    /// A cart the tool created for a guest, to be remembered.
    pub new_cart: Option<Uuid>,
}

/// Why a tool did nothing.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ToolError {
    /// No such tool.
    #[error("unknown tool {0:?}")]
    Unknown(String),
    /// The arguments do not fit the tool's schema.
    #[error("invalid arguments: {0}")]
    Invalid(String),
    /// The caller may not do this.
    #[error("{0}")]
    Refused(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Every tool.
pub(crate) fn definitions() -> Vec<Definition> {
    vec![
        Definition {
            name: "search_products",
            description: "Search the shop's catalog. Prices are in CZK including VAT. Returns at most 10 products with slug, name, lowest price, stock and brand.",
            parameters: json!({ "type": "object", "additionalProperties": false, "properties": {
                "query": { "type": "string", "maxLength": 200, "description": "words to search for" },
                "category": { "type": "string", "description": "category slug, e.g. kancelarske-zidle" },
                "price_min": { "type": "number", "minimum": 0, "description": "CZK" },
                "price_max": { "type": "number", "minimum": 0, "description": "CZK" },
                "brand": { "type": "string", "description": "brand slug" },
                "in_stock": { "type": "boolean" },
                "attributes": { "type": "array", "maxItems": 5, "items": { "type": "object", "required": ["attribute", "value"],
                    "properties": { "attribute": { "type": "string" }, "value": { "type": "string" } } } },
                "sort": { "type": "string", "enum": ["relevance", "price_asc", "price_desc"] },
                "limit": { "type": "integer", "minimum": 1, "maximum": 10 }
            }}),
        },
        Definition {
            name: "get_product",
            description: "One product by slug: price, stock, brand, category, attribute values.",
            parameters: json!({ "type": "object", "required": ["slug"], "additionalProperties": false,
                "properties": { "slug": { "type": "string" } } }),
        },
        Definition {
            name: "compare_products",
            description: "Two to four products by slug, side by side.",
            parameters: json!({ "type": "object", "required": ["slugs"], "additionalProperties": false,
                "properties": { "slugs": { "type": "array", "minItems": 2, "maxItems": 4, "items": { "type": "string" } } } }),
        },
        Definition {
            name: "get_cart",
            description: "The caller's own cart: lines, quantities and totals.",
            parameters: json!({ "type": "object", "additionalProperties": false, "properties": {} }),
        },
        Definition {
            name: "add_to_cart",
            description: "Adds units of a product (its cheapest variant in stock, or the given variant id) to the caller's own cart.",
            parameters: json!({ "type": "object", "required": ["slug"], "additionalProperties": false, "properties": {
                "slug": { "type": "string" },
                "quantity": { "type": "integer", "minimum": 1, "maximum": 99 } } }),
        },
        Definition {
            name: "update_cart",
            description: "Sets the quantity of a product in the caller's own cart (0 removes it).",
            parameters: json!({ "type": "object", "required": ["slug", "quantity"], "additionalProperties": false, "properties": {
                "slug": { "type": "string" },
                "quantity": { "type": "integer", "minimum": 0, "maximum": 99 } } }),
        },
        Definition {
            name: "order_status",
            description: "The state of one of the caller's own orders (the newest when no number is given).",
            parameters: json!({ "type": "object", "additionalProperties": false,
                "properties": { "number": { "type": "string", "pattern": "^[0-9]{10}$" } } }),
        },
        Definition {
            name: "shipping_options",
            description: "Shipping methods with prices in CZK and the free-shipping threshold.",
            parameters: json!({ "type": "object", "additionalProperties": false, "properties": {} }),
        },
    ]
}

/// Runs tool `name` with `arguments` for `caller`.
pub(crate) async fn call(
    pool: &PgPool,
    caller: Caller,
    name: &str,
    arguments: &Value,
) -> Result<Output, ToolError> {
    if !arguments.is_object() {
        return Err(ToolError::Invalid("arguments are an object".into()));
    }
    match name {
        "search_products" => search(pool, &search_filter(pool, arguments).await?, arguments).await,
        "get_product" => {
            let cards = cards_by_slugs(pool, &[text(arguments, "slug")?]).await?;
            Ok(with_cards(cards))
        }
        "compare_products" => {
            let slugs = strings(arguments, "slugs")?;
            if !(2..=4).contains(&slugs.len()) {
                return Err(ToolError::Invalid("compare two to four products".into()));
            }
            Ok(with_cards(cards_by_slugs(pool, &slugs).await?))
        }
        "get_cart" => cart(pool, caller).await,
        "add_to_cart" | "update_cart" => {
            let slug = text(arguments, "slug")?;
            let quantity = arguments
                .get("quantity")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            let limit = if name == "add_to_cart" {
                1..=99
            } else {
                0..=99
            };
            if !limit.contains(&quantity) {
                return Err(ToolError::Invalid("quantity out of range".into()));
            }
            let mode = if name == "add_to_cart" {
                Mode::Add
            } else {
                Mode::Set
            };
            change_cart(pool, caller, &slug, quantity as i32, mode).await
        }
        "order_status" => {
            order_status(
                pool,
                caller,
                arguments.get("number").and_then(Value::as_str),
            )
            .await
        }
        "shipping_options" => Ok(Output {
            data: json!({
                "methods": ShippingMethod::ALL.iter().map(|m| json!({ "name": m.name(), "price_czk": Money::czk(m.price()).decimal() })).collect::<Vec<_>>(),
                "free_shipping_from_czk": Money::czk(FREE_SHIPPING_FROM).decimal(),
            }),
            ..Output::default()
        }),
        other => Err(ToolError::Unknown(other.to_owned())),
    }
}

fn text(arguments: &Value, key: &str) -> Result<String, ToolError> {
    arguments
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty() && s.len() <= 200)
        .map(str::to_owned)
        .ok_or_else(|| ToolError::Invalid(format!("{key} is a non-empty string")))
}

fn strings(arguments: &Value, key: &str) -> Result<Vec<String>, ToolError> {
    arguments
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .ok_or_else(|| ToolError::Invalid(format!("{key} is a list of strings")))
}

/// A search's filter from its arguments (CZK to haléře).
pub(crate) async fn search_filter(
    pool: &PgPool,
    arguments: &Value,
) -> Result<ProductFilter, ToolError> {
    let crowns = |key: &str| -> Result<Option<i64>, ToolError> {
        match arguments.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value
                .as_f64()
                .filter(|v| v.is_finite() && (0.0..1e9).contains(v))
                .map(|v| Some((v * 100.0).round() as i64))
                .ok_or_else(|| ToolError::Invalid(format!("{key} is an amount in CZK"))),
        }
    };
    let attributes = match arguments.get("attributes").and_then(Value::as_array) {
        Some(items) => items
            .iter()
            .take(5)
            .map(|item| {
                Ok(AttributeCondition {
                    slug: text(item, "attribute")?,
                    values: Some(vec![text(item, "value")?]),
                    min: None,
                    max: None,
                })
            })
            .collect::<Result<Vec<_>, ToolError>>()?,
        None => vec![],
    };
    let category = match arguments.get("category").and_then(Value::as_str) {
        Some(slug) => {
            let tree = CategoryTree::new(catalog::category_tree(pool).await?);
            // A category the model made up finds nothing, honestly.
            Some(tree.scope(slug).unwrap_or(CategoryScope { ids: vec![] }))
        }
        None => None,
    };
    Ok(ProductFilter {
        category,
        brands: arguments
            .get("brand")
            .and_then(Value::as_str)
            .map(|b| vec![b.to_owned()])
            .unwrap_or_default(),
        price_min: crowns("price_min")?,
        price_max: crowns("price_max")?,
        in_stock: arguments
            .get("in_stock")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        attributes,
        text_query: None,
    })
}

/// Products passing `filter` (and the arguments' words), as cards.
pub(crate) async fn search(
    pool: &PgPool,
    filter: &ProductFilter,
    arguments: &Value,
) -> Result<Output, ToolError> {
    let mut filter = filter.clone();
    if let Some(query) = arguments
        .get("query")
        .and_then(Value::as_str)
        .filter(|q| !q.trim().is_empty())
    {
        // A query of no catalog word finds nothing, honestly; a malformed one is ignored.
        if let Ok(prepared) = crate::catalog::search::prepare(pool, query).await {
            filter.text_query = Some(prepared.ts_query);
        }
    }
    let order = match arguments.get("sort").and_then(Value::as_str) {
        Some("price_asc") => ProductOrder::PriceAsc,
        Some("price_desc") => ProductOrder::PriceDesc,
        _ => ProductOrder::Relevance,
    };
    let limit = arguments
        .get("limit")
        .and_then(Value::as_i64)
        .unwrap_or(5)
        .clamp(1, MAX_RESULTS);
    let products = catalog::list_products(pool, &filter, order, 0, limit).await?;
    let ids: Vec<i64> = products.iter().map(|p| p.id).collect();
    let mut cards = catalog::product_cards(pool, &ids).await?;
    cards.sort_by_key(|card| ids.iter().position(|id| *id == card.id));
    Ok(with_cards(cards))
}

async fn cards_by_slugs(pool: &PgPool, slugs: &[String]) -> Result<Vec<ProductCard>, ToolError> {
    let mut ids = Vec::new();
    for slug in slugs {
        match catalog::product_by_slug(pool, slug).await? {
            Some(product) => ids.push(product.id),
            None => return Err(ToolError::Invalid(format!("no product {slug:?}"))),
        }
    }
    let mut cards = catalog::product_cards(pool, &ids).await?;
    cards.sort_by_key(|card| ids.iter().position(|id| *id == card.id));
    Ok(cards)
}

/// Cards as the model reads them, and as references.
fn with_cards(cards: Vec<ProductCard>) -> Output {
    let data = json!({ "products": cards.iter().map(|c| json!({
        "slug": c.slug, "name": c.name, "price_czk": Money::czk(c.price_min).decimal(),
        "in_stock": c.in_stock, "brand": c.brand, "category": c.category,
    })).collect::<Vec<_>>() });
    Output {
        data,
        products: cards,
        new_cart: None,
    }
}

async fn cart(pool: &PgPool, caller: Caller) -> Result<Output, ToolError> {
    let Some(cart) = carts::current(pool, caller.customer, caller.cart).await? else {
        return Ok(Output {
            data: json!({ "lines": [], "total_czk": "0.00" }),
            ..Output::default()
        });
    };
    let lines = crate::cart::store::priced_lines(pool, cart.id).await?;
    let ids: Vec<i64> = lines.iter().map(|l| l.variant_id).collect();
    let labels = catalog::variant_labels(pool, &ids).await?;
    let total: i64 = lines.iter().map(|l| l.total()).sum();
    let data = json!({
        "lines": lines.iter().map(|l| {
            let label = labels.iter().find(|v| v.id == l.variant_id);
            json!({ "name": label.map(|v| v.product_name.clone()), "variant": label.map(|v| v.title.clone()),
                    "quantity": l.quantity, "total_czk": Money::czk(l.total()).decimal() })
        }).collect::<Vec<_>>(),
        "total_czk": Money::czk(total).decimal(),
    });
    Ok(Output {
        data,
        ..Output::default()
    })
}

/// Adds to or sets a product in the caller's own cart (a guest without one gets a new cart).
async fn change_cart(
    pool: &PgPool,
    caller: Caller,
    slug: &str,
    quantity: i32,
    mode: Mode,
) -> Result<Output, ToolError> {
    let product = catalog::product_by_slug(pool, slug)
        .await?
        .ok_or_else(|| ToolError::Invalid(format!("no product {slug:?}")))?;
    let variants = catalog::variants_of(pool, &[product.id]).await?;
    let variant = variants
        .iter()
        .filter(|v| v.stock_quantity > 0)
        .min_by_key(|v| v.price_gross)
        .or(variants.first())
        .ok_or_else(|| ToolError::Invalid("the product has no variants".into()))?;
    let current = carts::current(pool, caller.customer, caller.cart).await?;
    let refused = |e: crate::cart::CartError| ToolError::Refused(e.to_string());
    let (cart_id, new_cart) = match (current, mode, quantity) {
        (Some(cart), _, 0) => {
            carts::remove(pool, caller.customer, cart.id, &[variant.id])
                .await
                .map_err(refused)?;
            (cart.id, None)
        }
        (Some(cart), _, _) => {
            let line = LineRequest {
                index: 0,
                variant_id: variant.id,
                quantity,
            };
            carts::change(pool, caller.customer, cart.id, &[line], mode)
                .await
                .map_err(refused)?;
            (cart.id, None)
        }
        (None, _, 0) => return Err(ToolError::Invalid("the cart is empty".into())),
        (None, _, _) => {
            let line = LineRequest {
                index: 0,
                variant_id: variant.id,
                quantity,
            };
            let id = carts::create(pool, caller.customer, None, &[line])
                .await
                .map_err(refused)?;
            (id, caller.customer.is_none().then_some(id))
        }
    };
    let mut output = cart(
        pool,
        Caller {
            cart: Some(cart_id),
            ..caller
        },
    )
    .await?;
    output.products = catalog::product_cards(pool, &[product.id]).await?;
    output.new_cart = new_cart;
    Ok(output)
}

async fn order_status(
    pool: &PgPool,
    caller: Caller,
    number: Option<&str>,
) -> Result<Output, ToolError> {
    let fingerprint = caller.cart.map(|c| c.to_string());
    let order = match number {
        Some(number) => crate::orders::store::by_number_with_version(pool, number)
            .await?
            .map(|(order, _)| order)
            .filter(|o| match (caller.customer, o.customer_id) {
                (Some(me), Some(owner)) => me == owner,
                (_, None) => fingerprint.as_deref() == Some(o.cart_fingerprint.as_str()),
                (None, Some(_)) => false,
            }),
        None => {
            crate::orders::store::latest_of(pool, caller.customer, fingerprint.as_deref()).await?
        }
    };
    let Some(order) = order else {
        return Err(ToolError::Refused("no such order of yours".into()));
    };
    Ok(Output {
        data: json!({
            "number": order.number, "status": order.status.as_str(), "placed_at": order.created_at,
            "total_czk": Money::czk(order.total).decimal(), "carrier": order.carrier, "tracking_number": order.tracking_number,
        }),
        ..Output::default()
    })
}
