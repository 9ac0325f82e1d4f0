//! The storefront's guest session: the cart lives in an HttpOnly cookie, the orders placed from
//! it are visible to that browser, and signing in adopts both the cart and those orders.

use crate::common;

use axum::Router;
use common::{Reply, app, data, graphql_with};
use serde_json::{Value, json};
use sqlx::PgPool;

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");
const ADD: &str = "mutation ($lines: [CartLineInput!]!) { cartCreate(input: { lines: $lines }) { cart { id totalQuantity } userErrors { code } } }";
const CURRENT: &str = "{ currentCart { id totalQuantity } }";
const UPDATE: &str = "mutation ($input: CheckoutUpdateInput!) { checkoutUpdate(input: $input) { checkout { shippingAddress { city } billingAddress { ico } availablePaymentMethods { method fee { minorUnits } } } userErrors { field code } } }";
const COMPLETE: &str = "mutation ($cartId: ID!) { checkoutComplete(input: { cartId: $cartId, idempotencyKey: $cartId }) { order { number shippingMethodName paymentMethodName } userErrors { code } } }";
const ORDER: &str = "query ($number: String!) { order(number: $number) { number } }";
const REGISTER: &str =
    "mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) { accepted } }";
const LOGIN: &str = "mutation ($input: CustomerLoginInput!) { customerLogin(input: $input) { customer { email } userErrors { code } } }";
const MY_ORDERS: &str = "{ me { orders { nodes { number } } } currentCart { totalQuantity } }";
const EMAIL: &str = "jana@example.cz";
const PASSWORD: &str = "Zelená louka 2026";

async fn first_variant(pool: &PgPool) -> String {
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM product_variants WHERE stock_quantity > 5 ORDER BY id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    server::ids::encode(server::ids::NodeType::ProductVariant, id).0
}

fn lines(variant: &str) -> Value {
    json!({ "lines": [{ "variantId": variant, "quantity": 1 }] })
}

/// The `name=value` pairs of a reply's `Set-Cookie` headers.
fn set_cookies(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn cookie_value(reply: &Reply, name: &str) -> Option<String> {
    set_cookies(reply).iter().find_map(|c| {
        c.split(';')
            .next()?
            .strip_prefix(&format!("{name}="))
            .map(str::to_owned)
    })
}

/// A storefront request: from the shop's origin with the browser's cookies.
async fn browser(app: &Router, jar: &str, query: &str, variables: Value) -> Reply {
    graphql_with(app, query, variables, &[ORIGIN, ("cookie", jar)]).await
}

/// A guest who buys one unit through the storefront; returns the cart cookie and the number.
async fn guest_order(app: &Router, variant: &str) -> (String, String) {
    let added = graphql_with(app, ADD, lines(variant), &[ORIGIN]).await;
    let jar = format!("shop_cart={}", cookie_value(&added, "shop_cart").unwrap());
    let cart_id = added.json()["data"]["cartCreate"]["cart"]["id"].clone();
    let address = json!({ "firstName": "Jana", "lastName": "Nováková", "street": "Dlouhá 12", "city": "Praha", "postalCode": "110 00", "phone": "777 123 456" });
    let input = json!({ "cartId": cart_id, "email": EMAIL, "shippingAddress": address, "shippingMethod": "ZASILKOVNA", "pickupPointId": "10000", "paymentMethod": "BANK_TRANSFER" });
    let updated = browser(app, &jar, UPDATE, json!({ "input": input }))
        .await
        .json();
    let checkout = &updated["data"]["checkoutUpdate"]["checkout"];
    assert_eq!(checkout["shippingAddress"]["city"], "Praha", "{updated}");
    assert_eq!(
        checkout["availablePaymentMethods"][1]["method"],
        "CASH_ON_DELIVERY"
    );
    assert_eq!(
        checkout["availablePaymentMethods"][1]["fee"]["minorUnits"],
        3900
    );
    let done = browser(app, &jar, COMPLETE, json!({ "cartId": cart_id }))
        .await
        .json();
    let order = &done["data"]["checkoutComplete"]["order"];
    assert_eq!(
        order["shippingMethodName"], "Zásilkovna – výdejní místo",
        "{done}"
    );
    assert_eq!(order["paymentMethodName"], "Bankovním převodem (QR Platba)");
    (jar, order["number"].as_str().unwrap().to_owned())
}

#[sqlx::test(migrations = "../migrations")]
async fn the_cart_cookie_follows_the_browser(pool: PgPool) {
    let app = app(pool.clone()).await;
    let variant = first_variant(&pool).await;

    let first = graphql_with(&app, ADD, lines(&variant), &[ORIGIN]).await;
    let cookie = set_cookies(&first).join("\n");
    assert!(
        cookie.starts_with("shop_cart=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let jar = format!("shop_cart={}", cookie_value(&first, "shop_cart").unwrap());
    let cart_id = first.json()["data"]["cartCreate"]["cart"]["id"].clone();

    // The next add goes to the same cart; no new cookie.
    let second = browser(&app, &jar, ADD, lines(&variant)).await;
    assert!(set_cookies(&second).is_empty());
    assert_eq!(second.json()["data"]["cartCreate"]["cart"]["id"], cart_id);
    let current = browser(&app, &jar, CURRENT, json!({})).await.json();
    assert_eq!(
        current["data"]["currentCart"],
        json!({ "id": cart_id, "totalQuantity": 2 })
    );

    // Without the cookie there is no current cart; apps (no shop origin) get no cookie.
    assert_eq!(
        data(&app, CURRENT, json!({})).await["currentCart"],
        Value::Null
    );
    let app_cart = graphql_with(&app, ADD, lines(&variant), &[]).await;
    assert!(set_cookies(&app_cart).is_empty());
    assert_ne!(app_cart.json()["data"]["cartCreate"]["cart"]["id"], cart_id);

    // A forged cookie naming no cart starts a new cart rather than failing.
    let forged = browser(
        &app,
        "shop_cart=00000000-0000-4000-8000-000000000000",
        ADD,
        lines(&variant),
    )
    .await;
    assert!(cookie_value(&forged, "shop_cart").is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn guest_orders_belong_to_their_browser_and_join_the_account_at_sign_in(pool: PgPool) {
    let app = app(pool.clone()).await;
    let variant = first_variant(&pool).await;
    let register = json!({ "input": { "email": EMAIL, "password": PASSWORD, "firstName": "Jana", "lastName": "Nováková" } });
    assert_eq!(
        data(&app, REGISTER, register).await["customerRegister"]["accepted"],
        true
    );

    let (jar, number) = guest_order(&app, &variant).await;
    // Someone else's browser with the same e-mail.
    let (_, other_number) = guest_order(&app, &variant).await;

    // The order page opens for the browser that placed it, for nobody else.
    let own = browser(&app, &jar, ORDER, json!({ "number": number }))
        .await
        .json();
    assert_eq!(own["data"]["order"]["number"], number);
    for cookie in ["", "shop_cart=00000000-0000-4000-8000-000000000000"] {
        let stranger = browser(&app, cookie, ORDER, json!({ "number": number }))
            .await
            .json();
        assert_eq!(
            stranger["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{stranger}"
        );
    }

    // A new guest cart in the same browser, then signing in there.
    let refill = browser(&app, &jar, ADD, lines(&variant)).await;
    assert!(
        cookie_value(&refill, "shop_cart").is_none(),
        "the emptied cart is reused"
    );
    let login = json!({ "input": { "email": EMAIL, "password": PASSWORD } });
    let signed_in = browser(&app, &jar, LOGIN, login).await;
    assert_eq!(
        signed_in.json()["data"]["customerLogin"]["customer"]["email"],
        EMAIL
    );
    assert_eq!(
        cookie_value(&signed_in, "shop_cart").as_deref(),
        Some(""),
        "cart cookie cleared"
    );
    let session: Vec<String> = set_cookies(&signed_in)
        .iter()
        .filter(|c| c.starts_with("shop_at=") || c.starts_with("shop_rt="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .collect();
    let account = browser(&app, &session.join("; "), MY_ORDERS, json!({}))
        .await
        .json();
    assert_eq!(
        account["data"]["me"]["orders"]["nodes"],
        json!([{ "number": number }]),
        "only the order of this browser is claimed: {account}"
    );
    assert_eq!(
        account["data"]["currentCart"]["totalQuantity"], 1,
        "the guest cart merged"
    );
    let unclaimed: Option<i64> =
        sqlx::query_scalar("SELECT customer_id FROM orders WHERE number = $1")
            .bind(&other_number)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(unclaimed, None);
}
