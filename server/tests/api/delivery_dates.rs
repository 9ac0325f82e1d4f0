//! When goods arrive: the product's earliest delivery day, each shipping method's day at
//! checkout, and what is left to free shipping. (The calendar itself — cut-off times, weekends,
//! Czech holidays and Easter — is pinned by unit tests beside it.)

// Amounts are written as crowns_haléř (`1_500_00` is 1 500 Kč).
#![allow(clippy::inconsistent_digit_grouping)]

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::checkout::{new_cart, variant};
use crate::common::{app, data};

const VARIANT: &str =
    "query ($id: ID!) { node(id: $id) { ... on ProductVariant { deliveryDate } } }";
const CHECKOUT: &str = "query ($cartId: ID!) { checkout(cartId: $cartId) { subtotal { minorUnits } amountToFreeShipping { minorUnits } availableShippingMethods { method deliveryDate } } }";

fn day(value: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(value.as_str().expect("a date"), "%Y-%m-%d").unwrap()
}

fn assert_working_day(date: NaiveDate) {
    assert!(
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        "{date} is a weekend day"
    );
    let today = chrono::Utc::now().date_naive();
    assert!(
        date >= today - chrono::Duration::days(1) && date <= today + chrono::Duration::days(10),
        "{date}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn delivery_days_for_products_and_shipping_methods(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (id, variant_id, price) = variant(&pool, 3).await;
    let earliest =
        day(&data(&app, VARIANT, json!({ "id": variant_id })).await["node"]["deliveryDate"]);
    assert_working_day(earliest);

    let cart = new_cart(&app, &variant_id, 1).await;
    let checkout = data(&app, CHECKOUT, json!({ "cartId": cart })).await["checkout"].clone();
    assert_eq!(
        checkout["amountToFreeShipping"]["minorUnits"]
            .as_i64()
            .unwrap(),
        (1_500_00 - price).max(0)
    );
    let methods = checkout["availableShippingMethods"].as_array().unwrap();
    for method in methods {
        let date = day(&method["deliveryDate"]);
        if method["method"] != "PERSONAL_PICKUP" {
            assert_working_day(date);
            assert!(
                date >= earliest,
                "the product page promises the earliest carrier"
            );
        }
    }
    assert!(methods.iter().any(|m| day(&m["deliveryDate"]) == earliest));

    // Sold out: no promise anywhere.
    sqlx::query("UPDATE stock_levels SET on_hand = 0, reserved = 0 WHERE variant_id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        data(&app, VARIANT, json!({ "id": variant_id })).await["node"]["deliveryDate"],
        Value::Null
    );
    let checkout = data(&app, CHECKOUT, json!({ "cartId": cart })).await["checkout"].clone();
    assert!(
        checkout["availableShippingMethods"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["deliveryDate"].is_null())
    );

    let rates = data(
        &app,
        "{ shippingRates { cheapest { minorUnits } freeFrom { minorUnits } } }",
        json!({}),
    )
    .await;
    assert_eq!(rates["shippingRates"]["cheapest"]["minorUnits"], 79_00);
    assert_eq!(rates["shippingRates"]["freeFrom"]["minorUnits"], 1_500_00);
}
