//! Live order updates reach the order's owner over a subscription, also when the change is made
//! on another server instance (Redis pub/sub).

use crate::common;

use std::time::Duration;

use async_graphql::Request;
use futures_util::StreamExt;
use serde_json::json;
use server::auth::{Role, SignedIn, Via, Viewer};
use server::graphql::Caller;
use sqlx::PgPool;

const PASSWORD: &str = "Zelená louka 2026";

#[sqlx::test(migrations = "../migrations")]
async fn a_status_change_on_one_instance_reaches_a_subscriber_on_another(pool: PgPool) {
    server::seed::seed(&pool, common::TEST_PRODUCTS)
        .await
        .unwrap();
    let redis = || common::test_redis(&pool, "redis://127.0.0.1:6379");
    let (_, first) = common::instance(pool.clone(), redis());
    let (second, _) = common::instance(pool.clone(), redis());

    // A customer orders through the first instance.
    let register = "mutation { customerRegister(input: { email: \"zive@example.cz\", password: \"Zelená louka 2026\", firstName: \"A\", lastName: \"B\" }) { accepted } }";
    common::data(&first, register, json!({})).await;
    let login = "mutation ($p: String!) { customerLogin(input: { email: \"zive@example.cz\", password: $p }) { accessToken customer { id } } }";
    let token =
        common::data(&first, login, json!({ "p": PASSWORD })).await["customerLogin"]["accessToken"]
            .as_str()
            .unwrap()
            .to_owned();
    let auth = format!("Bearer {token}");
    let (variant,): (i64,) = sqlx::query_as(
        "SELECT id FROM product_variants WHERE stock_quantity > 0 ORDER BY id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let variant = server::ids::encode(server::ids::NodeType::ProductVariant, variant).0;
    let call = |query: &'static str, variables: serde_json::Value| {
        let (app, auth) = (first.clone(), auth.clone());
        async move {
            common::graphql_with(&app, query, variables, &[("authorization", &auth)])
                .await
                .json()
        }
    };
    let cart = call("mutation ($v: ID!) { cartCreate(input: { lines: [{ variantId: $v, quantity: 1 }] }) { cart { id } } }", json!({ "v": variant })).await;
    let cart_id = cart["data"]["cartCreate"]["cart"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let address = json!({ "firstName": "A", "lastName": "B", "street": "Dlouhá 1", "city": "Brno", "postalCode": "602 00", "phone": "+420 602 111 222" });
    let input = json!({ "cartId": cart_id, "email": "zive@example.cz", "shippingAddress": address, "shippingMethod": "PERSONAL_PICKUP", "paymentMethod": "BANK_TRANSFER" });
    call(
        "mutation ($i: CheckoutUpdateInput!) { checkoutUpdate(input: $i) { userErrors { code } } }",
        json!({ "i": input }),
    )
    .await;
    let placed = call("mutation ($c: ID!) { checkoutComplete(input: { cartId: $c, idempotencyKey: \"live\" }) { order { number } } }", json!({ "c": cart_id })).await;
    let number = placed["data"]["checkoutComplete"]["order"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    let customer_id: i64 =
        sqlx::query_scalar("SELECT id FROM customers WHERE email = 'zive@example.cz'")
            .fetch_one(&pool)
            .await
            .unwrap();

    // A stranger may not follow the order.
    let subscription = format!(
        "subscription {{ orderStatusChanged(number: \"{number}\") {{ number fromStatus toStatus }} }}"
    );
    let stranger = Viewer(Some(SignedIn {
        customer_id: customer_id + 1000,
        role: Role::Customer,
        via: Via::Bearer,
    }));
    let as_caller = |viewer| Caller {
        viewer,
        info: Default::default(),
    };
    let mut refused = second
        .executor
        .stream(as_caller(stranger), Request::new(subscription.clone()));
    let refusal = refused.next().await.unwrap();
    let code = refusal.errors[0]
        .extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .cloned();
    assert_eq!(
        code,
        Some(async_graphql::Value::from("NOT_FOUND")),
        "another customer's order does not exist for them: {:?}",
        refusal.errors
    );

    // The owner subscribes on the second instance…
    let owner = Viewer(Some(SignedIn {
        customer_id,
        role: Role::Customer,
        via: Via::Bearer,
    }));
    let mut updates = second
        .executor
        .stream(as_caller(owner), Request::new(subscription));
    let next =
        tokio::spawn(
            async move { tokio::time::timeout(Duration::from_secs(10), updates.next()).await },
        );
    // (the second instance's Redis subscription starts in the background)
    tokio::time::sleep(Duration::from_millis(500)).await;

    // …and cancels through the first.
    let cancelled = call(
        "mutation ($n: String!) { orderCancel(number: $n) { order { status } } }",
        json!({ "n": number }),
    )
    .await;
    assert_eq!(
        cancelled["data"]["orderCancel"]["order"]["status"],
        "CANCELLED"
    );
    let update = next
        .await
        .unwrap()
        .expect("an update within 10 s")
        .expect("the stream is open");
    assert!(update.errors.is_empty(), "{:?}", update.errors);
    let data = update.data.into_json().unwrap();
    assert_eq!(
        data["orderStatusChanged"],
        json!({ "number": number, "fromStatus": "PENDING_PAYMENT", "toStatus": "CANCELLED" })
    );
}
