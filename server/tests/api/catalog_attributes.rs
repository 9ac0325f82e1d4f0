//! Attributes managed by admins: definitions of each kind, a select attribute's values, values
//! set on products (then filterable at once), wrong values refused; strangers refused.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{self, app, data};
use crate::orders::{admin, call};

const CREATE: &str = "mutation ($name: String!, $kind: AttributeKind!, $unit: String) { attributeCreate(name: $name, kind: $kind, unit: $unit) { attribute { slug name kind unit values { slug name } } userErrors { field message } } }";
const VALUE: &str = "mutation ($a: String!, $name: String!) { attributeValueCreate(attribute: $a, name: $name) { attribute { values { slug name } } userErrors { field message } } }";
const SET: &str = "mutation ($p: ID!, $a: String!, $value: String, $text: String, $number: Float) { productAttributeSet(productId: $p, attribute: $a, value: $value, text: $text, number: $number) { product { attributes { slug value } } userErrors { field message } } }";
const FILTERED: &str = "query ($a: [AttributeFilter!]) { products(first: 5, filter: { attributes: $a }) { totalCount } }";

fn payload<'a>(reply: &'a Value, field: &str) -> &'a Value {
    &reply["data"][field]
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_define_attributes_and_set_them_on_products(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let id: i64 = sqlx::query_scalar("SELECT min(id) FROM products")
        .fetch_one(&pool)
        .await
        .unwrap();
    let product = server::ids::encode(server::ids::NodeType::Product, id).0;

    let stranger =
        common::graphql(&app, CREATE, json!({ "name": "Barva", "kind": "SELECT" })).await;
    assert_eq!(
        stranger["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );

    let width = call(
        &app,
        &auth,
        CREATE,
        json!({ "name": "Šířka sedáku", "kind": "NUMBER", "unit": "cm" }),
    )
    .await;
    assert_eq!(
        payload(&width, "attributeCreate")["attribute"]["slug"],
        "sirka-sedaku",
        "{width}"
    );
    let again = call(
        &app,
        &auth,
        CREATE,
        json!({ "name": "Šířka sedáku", "kind": "NUMBER" }),
    )
    .await;
    assert_eq!(
        payload(&again, "attributeCreate")["userErrors"][0]["field"],
        json!(["input", "name"])
    );
    let unit = call(
        &app,
        &auth,
        CREATE,
        json!({ "name": "Povrch", "kind": "SELECT", "unit": "cm" }),
    )
    .await;
    assert_eq!(
        payload(&unit, "attributeCreate")["userErrors"][0]["field"],
        json!(["input", "unit"])
    );

    let finish = call(
        &app,
        &auth,
        CREATE,
        json!({ "name": "Povrch", "kind": "SELECT" }),
    )
    .await;
    assert_eq!(
        payload(&finish, "attributeCreate")["userErrors"],
        json!([]),
        "{finish}"
    );
    let walnut = call(
        &app,
        &auth,
        VALUE,
        json!({ "a": "povrch", "name": "Ořech" }),
    )
    .await;
    assert_eq!(
        payload(&walnut, "attributeValueCreate")["attribute"]["values"],
        json!([{ "slug": "orech", "name": "Ořech" }])
    );
    let on_number = call(
        &app,
        &auth,
        VALUE,
        json!({ "a": "sirka-sedaku", "name": "Velká" }),
    )
    .await;
    assert_eq!(
        payload(&on_number, "attributeValueCreate")["userErrors"][0]["field"],
        json!(["input", "attribute"])
    );

    // Set on a product: filterable at once.
    let filter = json!({ "a": [{ "slug": "povrch", "values": ["orech"] }] });
    assert_eq!(
        data(&app, FILTERED, filter.clone()).await["products"]["totalCount"],
        0
    );
    let set = call(
        &app,
        &auth,
        SET,
        json!({ "p": product, "a": "povrch", "value": "orech" }),
    )
    .await;
    let attributes = &payload(&set, "productAttributeSet")["product"]["attributes"];
    assert!(
        attributes
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["slug"] == "povrch" && a["value"] == "Ořech"),
        "{set}"
    );
    assert_eq!(
        data(&app, FILTERED, filter.clone()).await["products"]["totalCount"],
        1
    );
    let number = call(
        &app,
        &auth,
        SET,
        json!({ "p": product, "a": "sirka-sedaku", "number": 48.5 }),
    )
    .await;
    assert_eq!(
        payload(&number, "productAttributeSet")["userErrors"],
        json!([]),
        "{number}"
    );

    // Values that do not suit the attribute.
    for (variables, field) in [
        (
            json!({ "p": product, "a": "povrch", "value": "mramor" }),
            "value",
        ),
        (
            json!({ "p": product, "a": "povrch", "text": "Ořech" }),
            "value",
        ),
        (
            json!({ "p": product, "a": "sirka-sedaku", "text": "široká" }),
            "number",
        ),
        (
            json!({ "p": product, "a": "neexistuje", "text": "x" }),
            "attribute",
        ),
    ] {
        let refused = call(&app, &auth, SET, variables).await;
        assert_eq!(
            payload(&refused, "productAttributeSet")["userErrors"][0]["field"],
            json!(["input", field]),
            "{refused}"
        );
    }

    let remove = "mutation ($p: ID!) { productAttributeRemove(productId: $p, attribute: \"povrch\") { product { attributes { slug } } } }";
    let removed = call(&app, &auth, remove, json!({ "p": product })).await;
    let left = &payload(&removed, "productAttributeRemove")["product"]["attributes"];
    assert!(
        left.as_array()
            .unwrap()
            .iter()
            .all(|a| a["slug"] != "povrch")
    );
    assert_eq!(
        data(&app, FILTERED, filter).await["products"]["totalCount"],
        0
    );
}
