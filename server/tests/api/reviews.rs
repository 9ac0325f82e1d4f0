//! Reviews: only customers who received the product may write one, once; staff approve them;
//! the product's rating follows; the text reaches the page escaped.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{app, data, get, graphql};
use crate::orders::{admin, bearer, call, place};

const WRITE: &str = "mutation ($input: ProductReviewCreateInput!) { productReviewCreate(input: $input) { review { id status rating authorName } userErrors { field code message } } }";
const MODERATE: &str = "mutation ($id: ID!, $status: ReviewStatus!) { productReviewModerate(input: { id: $id, status: $status }) { review { status } userErrors { code } } }";
const PUBLIC: &str = "query ($slug: String!) { product(slug: $slug) { rating { average count } } productReviews(slug: $slug) { nodes { rating body pros cons authorName } } }";

#[sqlx::test(migrations = "../migrations")]
async fn verified_buyers_review_once_and_staff_decide_what_shows(pool: PgPool) {
    let app = app(pool.clone()).await;
    let jana = bearer(&app, "jana.recenze@example.cz").await;
    let (variant, number) = place(&app, &pool, &jana).await;
    let slug: String = sqlx::query_scalar(
        "SELECT p.slug FROM products p JOIN product_variants v ON v.product_id = p.id WHERE v.id = $1",
    )
    .bind(variant)
    .fetch_one(&pool)
    .await
    .unwrap();
    let review = |rating: i64, body: &str| json!({ "input": { "productSlug": slug, "rating": rating, "body": body, "pros": "Tichý chod", "cons": "" } });
    let write = |auth: String, variables: Value| {
        let app = app.clone();
        async move { call(&app, &auth, WRITE, variables).await["data"]["productReviewCreate"].clone() }
    };

    // Not delivered yet: not a verified buyer. Nobody signed in: unauthenticated.
    let early = write(jana.clone(), review(4, "Zatím jsem nedostala.")).await;
    assert_eq!(early["userErrors"][0]["code"], "NOT_VERIFIED_BUYER");
    let anonymous = graphql(&app, WRITE, review(5, "Anonymní chvála zboží.")).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );

    sqlx::query("UPDATE orders SET status = 'DELIVERED' WHERE number = $1")
        .bind(&number)
        .execute(&pool)
        .await
        .unwrap();
    let bad = write(jana.clone(), review(7, "Sedm hvězdiček z pěti.")).await;
    assert_eq!(
        (
            bad["userErrors"][0]["field"][1].as_str(),
            bad["userErrors"][0]["code"].as_str()
        ),
        (Some("rating"), Some("INVALID"))
    );
    let short = write(jana.clone(), review(4, "ok")).await;
    assert_eq!(short["userErrors"][0]["field"][1], "body");
    let body = "<script>alert('x')</script> Výborné, doporučuji.";
    let written = write(jana.clone(), review(4, body)).await;
    assert_eq!(written["userErrors"], json!([]));
    assert_eq!(written["review"]["status"], "PENDING");
    assert_eq!(written["review"]["authorName"], "A");
    let again = write(jana.clone(), review(5, "Ještě jednou, podruhé.")).await;
    assert_eq!(again["userErrors"][0]["code"], "ALREADY_REVIEWED");

    // Pending reviews are not shown; customers cannot moderate.
    let before = data(&app, PUBLIC, json!({ "slug": slug })).await;
    assert_eq!(before["productReviews"]["nodes"], json!([]));
    assert_eq!(
        before["product"]["rating"],
        json!({ "average": null, "count": 0 })
    );
    let id = written["review"]["id"].as_str().unwrap().to_owned();
    let refused = call(
        &app,
        &jana,
        MODERATE,
        json!({ "id": id, "status": "APPROVED" }),
    )
    .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");

    // Staff see it waiting, approve it: it shows, the rating counts it, the page escapes it.
    let staff = admin(&app, &pool).await;
    let pending = call(
        &app,
        &staff,
        "{ reviewsPending { nodes { id body product { slug } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        pending["data"]["reviewsPending"]["nodes"][0]["product"]["slug"],
        slug
    );
    let approved = call(
        &app,
        &staff,
        MODERATE,
        json!({ "id": id, "status": "APPROVED" }),
    )
    .await;
    assert_eq!(
        approved["data"]["productReviewModerate"]["review"]["status"],
        "APPROVED"
    );
    let after = data(&app, PUBLIC, json!({ "slug": slug })).await;
    assert_eq!(
        after["product"]["rating"],
        json!({ "average": 4.0, "count": 1 })
    );
    assert_eq!(after["productReviews"]["nodes"][0]["body"], body);
    assert_eq!(after["productReviews"]["nodes"][0]["pros"], "Tichý chod");
    let page = get(&app, &format!("/p/{slug}")).await;
    let html = page.body;
    assert!(
        html.contains("&lt;script&gt;alert("),
        "the review is text on the page"
    );
    assert!(
        !html.contains("<script>alert("),
        "no script from a review runs"
    );
    assert!(html.contains(
        r#""aggregateRating":{"@type":"AggregateRating","ratingValue":4.00,"reviewCount":1"#
    ));

    // Rejected after all: hidden again, the rating with it.
    call(
        &app,
        &staff,
        MODERATE,
        json!({ "id": id, "status": "REJECTED" }),
    )
    .await;
    let rejected = data(&app, PUBLIC, json!({ "slug": slug })).await;
    assert_eq!(rejected["product"]["rating"]["count"], 0);
    assert_eq!(rejected["productReviews"]["nodes"], json!([]));
}
