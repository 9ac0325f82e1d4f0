//! Catalog management by admins: products, variants, categories, brands, slugs that keep
//! redirecting, the Omnibus rule across price changes, bulk price changes; customers refused.

// Amounts are written as crowns_haléř (`1_999_00` is 1 999 Kč).
#![allow(clippy::inconsistent_digit_grouping)]

use axum::Router;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{self, app, get};
use crate::orders::{admin, call};

const PRODUCT_CREATE: &str = "mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { id slug name } userErrors { field code message } } }";
const PRODUCT_UPDATE: &str = "mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { product { id slug name } userErrors { field code } } }";
const VARIANT_CREATE: &str = "mutation ($input: VariantCreateInput!) { variantCreate(input: $input) { variant { id sku price { minorUnits } } userErrors { field code } } }";
const VARIANT_UPDATE: &str = "mutation ($input: VariantUpdateInput!) { variantUpdate(input: $input) { variant { price { minorUnits } compareAtPrice { minorUnits } lowestPrice30Days { minorUnits } } userErrors { field code } } }";
const PUBLIC: &str = "query ($slug: String!) { product(slug: $slug) { slug name } }";

async fn category_id(pool: &PgPool, slug: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap();
    server::ids::encode(server::ids::NodeType::Category, id).0
}

fn data(reply: &Value, field: &str) -> Value {
    reply["data"][field].clone()
}

/// Sets a variant's price and answers with its price, Omnibus reference and lowest 30-day price.
async fn price(
    app: &Router,
    auth: &str,
    variant: &str,
    price: i64,
    compare_at: Option<i64>,
) -> (i64, Option<i64>, i64) {
    let reply = call(
        app,
        auth,
        VARIANT_UPDATE,
        json!({ "input": { "id": variant, "price": price, "compareAtPrice": compare_at } }),
    )
    .await;
    let v = &reply["data"]["variantUpdate"]["variant"];
    (
        v["price"]["minorUnits"].as_i64().unwrap(),
        v["compareAtPrice"]["minorUnits"].as_i64(),
        v["lowestPrice30Days"]["minorUnits"].as_i64().unwrap(),
    )
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_manage_products_and_slugs_keep_redirecting(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let chairs = category_id(&pool, "kancelarske-zidle").await;

    // Customers and strangers are refused.
    let input = json!({ "input": { "name": "Židle Žluťoučká", "categoryId": chairs } });
    let anonymous = common::graphql(&app, PRODUCT_CREATE, input.clone()).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );

    let created = data(
        &call(&app, &auth, PRODUCT_CREATE, input).await,
        "productCreate",
    );
    assert_eq!(created["userErrors"], json!([]), "{created}");
    assert_eq!(created["product"]["slug"], "zidle-zlutoucka");
    let product = created["product"]["id"].as_str().unwrap().to_owned();
    let again = data(
        &call(
            &app,
            &auth,
            PRODUCT_CREATE,
            json!({ "input": { "name": "Židle žluťoučká", "categoryId": chairs } }),
        )
        .await,
        "productCreate",
    );
    assert_eq!(
        again["product"]["slug"], "zidle-zlutoucka-2",
        "slugs are unique"
    );
    let nameless = data(
        &call(
            &app,
            &auth,
            PRODUCT_CREATE,
            json!({ "input": { "name": " ", "categoryId": chairs } }),
        )
        .await,
        "productCreate",
    );
    assert_eq!(nameless["userErrors"][0]["field"], json!(["input", "name"]));

    // A draft is not for sale.
    let hidden = common::graphql(&app, PUBLIC, json!({ "slug": "zidle-zlutoucka" })).await;
    assert_eq!(hidden["errors"][0]["extensions"]["code"], "NOT_FOUND");

    // Variants: duplicate SKUs, prices and VAT rates are checked, nothing half-written.
    let variant = |sku: &str, price: i64, vat: i32| json!({ "input": { "productId": product, "sku": sku, "price": price, "vatRate": vat, "options": [{ "name": "Barva", "value": "Žlutá" }] } });
    let first = data(
        &call(
            &app,
            &auth,
            VARIANT_CREATE,
            variant("ZLUTA-1", 1_999_00, 21),
        )
        .await,
        "variantCreate",
    );
    assert_eq!(first["variant"]["price"]["minorUnits"], 1_999_00, "{first}");
    for (input, field) in [
        (variant("ZLUTA-1", 1_000_00, 21), "sku"),
        (variant("ZLUTA-2", -5, 21), "price"),
        (variant("ZLUTA-3", 1_000_00, 15), "vatRate"),
        (variant("ŽLUTÁ 4", 1_000_00, 21), "sku"),
    ] {
        let refused = data(
            &call(&app, &auth, VARIANT_CREATE, input).await,
            "variantCreate",
        );
        assert_eq!(
            refused["userErrors"][0]["field"],
            json!(["input", field]),
            "{refused}"
        );
    }

    // Published, renamed: the old address answers 301 to the new one.
    let published = data(
        &call(
            &app,
            &auth,
            PRODUCT_UPDATE,
            json!({ "input": { "id": product, "status": "PUBLISHED" } }),
        )
        .await,
        "productUpdate",
    );
    assert_eq!(published["userErrors"], json!([]));
    assert_eq!(
        common::data(&app, PUBLIC, json!({ "slug": "zidle-zlutoucka" })).await["product"]["name"],
        "Židle Žluťoučká"
    );
    let renamed = data(
        &call(
            &app,
            &auth,
            PRODUCT_UPDATE,
            json!({ "input": { "id": product, "name": "Křeslo Žluťoučké" } }),
        )
        .await,
        "productUpdate",
    );
    assert_eq!(renamed["product"]["slug"], "kreslo-zlutoucke");
    assert_eq!(
        common::data(&app, PUBLIC, json!({ "slug": "zidle-zlutoucka" })).await["product"]["slug"],
        "kreslo-zlutoucke"
    );
    let old = get(&app, "/p/zidle-zlutoucka").await;
    assert_eq!(old.status, axum::http::StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.headers["location"], "/p/kreslo-zlutoucke");
    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM catalog_audit WHERE entity = 'product' AND action = 'update' AND before->>'name' = 'Židle Žluťoučká' AND after->>'name' = 'Křeslo Žluťoučké'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(audited, 1, "who changed what, before and after");

    // Archived: gone from the shop.
    call(
        &app,
        &auth,
        PRODUCT_UPDATE,
        json!({ "input": { "id": product, "status": "ARCHIVED" } }),
    )
    .await;
    let archived = common::graphql(&app, PUBLIC, json!({ "slug": "kreslo-zlutoucke" })).await;
    assert_eq!(archived["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_discount_is_measured_against_the_lowest_price_of_30_days(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let chairs = category_id(&pool, "kancelarske-zidle").await;
    let created = data(&call(&app, &auth, PRODUCT_CREATE, json!({ "input": { "name": "Židle Omnibus", "categoryId": chairs, "status": "PUBLISHED" } })).await, "productCreate");
    let product = created["product"]["id"].as_str().unwrap().to_owned();
    let input = json!({ "input": { "productId": product, "sku": "OMNI-1", "price": 2_000_00 } });
    let variant = data(
        &call(&app, &auth, VARIANT_CREATE, input).await,
        "variantCreate",
    )["variant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // 2 000 → 1 500: a discount from 2 000 (the lowest of the 30 days before).
    assert_eq!(
        price(&app, &auth, &variant, 1_500_00, None).await,
        (1_500_00, Some(2_000_00), 2_000_00)
    );
    // → 1 800: above the lowest of the 30 days before (1 500), so no discount is shown.
    assert_eq!(
        price(&app, &auth, &variant, 1_800_00, None).await,
        (1_800_00, None, 1_500_00)
    );
    // → 1 200: a discount from 1 500, whatever "was" price is stored.
    assert_eq!(
        price(&app, &auth, &variant, 1_200_00, Some(5_000_00)).await,
        (1_200_00, Some(1_500_00), 1_500_00)
    );
    // Prices older than 30 days no longer count.
    sqlx::query("UPDATE price_history SET changed_at = changed_at - interval '45 days'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        price(&app, &auth, &variant, 1_100_00, None).await,
        (1_100_00, Some(1_200_00), 1_200_00)
    );
    let history: i64 = sqlx::query_scalar("SELECT count(*) FROM price_history ph JOIN product_variants v ON v.id = ph.variant_id WHERE v.sku = 'OMNI-1'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(history, 5, "every price is recorded");
}

#[sqlx::test(migrations = "../migrations")]
async fn categories_brands_and_bulk_prices(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let furniture = category_id(&pool, "nabytek").await;
    let chairs = category_id(&pool, "zidle-a-kresla").await;
    let office = category_id(&pool, "kancelarske-zidle").await;

    let create = "mutation ($name: String!, $parent: ID) { categoryCreate(name: $name, parentId: $parent) { category { slug } userErrors { field code } } }";
    let made = data(
        &call(
            &app,
            &auth,
            create,
            json!({ "name": "Zahradní židle", "parent": chairs }),
        )
        .await,
        "categoryCreate",
    );
    assert_eq!(made["category"]["slug"], "zahradni-zidle");
    let too_deep = data(
        &call(
            &app,
            &auth,
            create,
            json!({ "name": "Příliš hluboko", "parent": office }),
        )
        .await,
        "categoryCreate",
    );
    assert_eq!(too_deep["userErrors"][0]["code"], "INVALID");

    let mv = "mutation ($id: ID!, $parent: ID) { categoryMove(id: $id, parentId: $parent, position: 1) { category { slug } userErrors { field message } } }";
    let cycle = data(
        &call(
            &app,
            &auth,
            mv,
            json!({ "id": furniture, "parent": chairs }),
        )
        .await,
        "categoryMove",
    );
    assert_eq!(
        cycle["userErrors"][0]["field"],
        json!(["input", "parentId"]),
        "never under its own child"
    );
    let moved = data(
        &call(
            &app,
            &auth,
            mv,
            json!({ "id": office, "parent": furniture }),
        )
        .await,
        "categoryMove",
    );
    assert_eq!(moved["userErrors"], json!([]), "{moved}");

    let brand = "mutation ($name: String!) { brandCreate(name: $name) { brand { slug name } userErrors { code } } }";
    assert_eq!(
        data(
            &call(&app, &auth, brand, json!({ "name": "Dřevo & Co" })).await,
            "brandCreate"
        )["brand"]["slug"],
        "drevo-co"
    );
    assert_eq!(
        data(
            &call(&app, &auth, brand, json!({ "name": "Dřevo & Co" })).await,
            "brandCreate"
        )["userErrors"][0]["code"],
        "INVALID"
    );

    let change = "mutation ($input: ProductsPriceChangeInput!) { productsPriceChange(input: $input) { applied changes { sku oldPrice { minorUnits } newPrice { minorUnits } } userErrors { code } } }";
    let before: Vec<i64> = sqlx::query_scalar("SELECT price_gross FROM product_variants v JOIN products p ON p.id = v.product_id JOIN categories c ON c.id = p.category_id WHERE c.slug = 'kavovary' ORDER BY v.id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let preview = data(
        &call(
            &app,
            &auth,
            change,
            json!({ "input": { "category": "kavovary", "percent": -10, "rounding": "NINE" } }),
        )
        .await,
        "productsPriceChange",
    );
    assert_eq!(preview["applied"], false);
    let changes = preview["changes"].as_array().unwrap();
    assert_eq!(changes.len(), before.len());
    assert!(
        changes
            .iter()
            .all(|c| c["newPrice"]["minorUnits"].as_i64().unwrap() % 1000_00 % 10_00 == 9_00)
    );
    let unchanged: Vec<i64> = sqlx::query_scalar("SELECT price_gross FROM product_variants v JOIN products p ON p.id = v.product_id JOIN categories c ON c.id = p.category_id WHERE c.slug = 'kavovary' ORDER BY v.id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(unchanged, before, "a dry run changes nothing");
    let applied = data(&call(&app, &auth, change, json!({ "input": { "category": "kavovary", "percent": -10, "rounding": "NINE", "dryRun": false } })).await, "productsPriceChange");
    assert_eq!(applied["applied"], true);
    let after: Vec<i64> = sqlx::query_scalar("SELECT price_gross FROM product_variants v JOIN products p ON p.id = v.product_id JOIN categories c ON c.id = p.category_id WHERE c.slug = 'kavovary' ORDER BY v.id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let expected: Vec<i64> = changes
        .iter()
        .map(|c| c["newPrice"]["minorUnits"].as_i64().unwrap())
        .collect();
    assert_eq!(after, expected);
    let nothing = data(
        &call(&app, &auth, change, json!({ "input": { "percent": 5 } })).await,
        "productsPriceChange",
    );
    assert_eq!(
        nothing["userErrors"][0]["code"], "INVALID",
        "a category or brand is required"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn marketplace_feeds_list_every_variant_and_follow_the_catalog(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let variants: i64 = sqlx::query_scalar("SELECT count(*) FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.status = 'PUBLISHED'")
        .fetch_one(&pool)
        .await
        .unwrap();
    for (file, root) in [
        ("heureka", "<SHOP>"),
        ("zbozi", "<SHOP xmlns=\"http://www.zbozi.cz/ns/offer/1.0\">"),
    ] {
        let feed = get(&app, &format!("/feeds/{file}.xml")).await;
        assert_eq!(feed.status, axum::http::StatusCode::OK);
        assert!(
            feed.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/xml")
        );
        assert!(
            feed.body
                .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                && feed.body.contains(root)
        );
        assert_eq!(feed.body.matches("<SHOPITEM>").count() as i64, variants);
        for element in [
            "ITEM_ID",
            "PRODUCTNAME",
            "DESCRIPTION",
            "URL",
            "PRICE_VAT",
            "CATEGORYTEXT",
            "ITEMGROUP_ID",
            "DELIVERY_DATE",
        ] {
            assert_eq!(
                feed.body.matches(&format!("<{element}>")).count() as i64,
                variants,
                "{element}"
            );
        }
        assert!(feed.body.contains("<DELIVERY><DELIVERY_ID>ZASILKOVNA</DELIVERY_ID><DELIVERY_PRICE>79.00</DELIVERY_PRICE><DELIVERY_PRICE_COD>118.00</DELIVERY_PRICE_COD></DELIVERY>"));
        assert!(
            feed.body.contains(
                "<CATEGORYTEXT>Nábytek | Židle a křesla | Kancelářské židle</CATEGORYTEXT>"
            )
        );
    }

    // Served from storage with an ETag; a catalog change makes a new feed.
    let first = get(&app, "/feeds/heureka.xml").await;
    let etag = first.headers["etag"].to_str().unwrap().to_owned();
    let request = axum::http::Request::get("/feeds/heureka.xml")
        .header("if-none-match", &etag)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(
        common::send(&app, request).await.status,
        axum::http::StatusCode::NOT_MODIFIED
    );
    let chairs = category_id(&pool, "kancelarske-zidle").await;
    let created = data(&call(&app, &auth, PRODUCT_CREATE, json!({ "input": { "name": "Židle <script>\"&\"</script>", "categoryId": chairs, "status": "PUBLISHED" } })).await, "productCreate");
    let product = created["product"]["id"].as_str().unwrap().to_owned();
    call(
        &app,
        &auth,
        VARIANT_CREATE,
        json!({ "input": { "productId": product, "sku": "FEED-1", "price": 999_00 } }),
    )
    .await;
    let second = get(&app, "/feeds/heureka.xml").await;
    assert_ne!(second.headers["etag"].to_str().unwrap(), etag);
    assert!(second.body.contains(
        "<PRODUCTNAME>Židle &lt;script&gt;&quot;&amp;&quot;&lt;/script&gt;</PRODUCTNAME>"
    ));
    assert!(!second.body.contains("<script>"));
    assert_eq!(
        get(&app, "/feeds/other.xml").await.status,
        axum::http::StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn sales_figures_add_up_to_the_orders(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let (_, variant, _) = crate::checkout::variant(&pool, 50).await;
    let mut placed = Vec::new();
    for quantity in [1, 2, 3] {
        let cart = crate::checkout::ready_cart(&app, &variant, quantity).await;
        let input = json!({ "input": { "cartId": cart, "paymentMethod": "CASH_ON_DELIVERY" } });
        common::data(&app, crate::checkout::UPDATE, input).await;
        let order = common::data(
            &app,
            crate::checkout::COMPLETE,
            json!({ "cartId": cart, "key": cart }),
        )
        .await["checkoutComplete"]["order"]
            .clone();
        placed.push((
            order["number"].as_str().unwrap().to_owned(),
            order["total"]["minorUnits"].as_i64().unwrap(),
            quantity,
        ));
    }
    // The third is cancelled: it counts nowhere. The first gets 100 Kč back.
    let cancel = "mutation ($n: [String!]!) { ordersCancel(input: { numbers: $n, note: \"Storno\" }) { cancelled { status } } }";
    call(&app, &auth, cancel, json!({ "n": [placed[2].0] })).await;
    let record = "mutation ($n: String!, $a: Int!) { orderPaymentRecord(input: { number: $n, amount: $a, channel: CASH_ON_DELIVERY }) { userErrors { code } } }";
    call(
        &app,
        &auth,
        record,
        json!({ "n": placed[0].0, "a": placed[0].1 }),
    )
    .await;
    let refund = "mutation ($n: String!) { orderRefund(input: { number: $n, amount: 10000, reason: \"Sleva za vadu\" }) { userErrors { code } } }";
    assert_eq!(
        call(&app, &auth, refund, json!({ "n": placed[0].0 })).await["data"]["orderRefund"]["userErrors"],
        json!([])
    );

    let mut net = 0;
    for (number, ..) in &placed[..2] {
        let order = call(
            &app,
            &auth,
            "query ($n: String!) { order(number: $n) { vatBreakdown { net { minorUnits } } } }",
            json!({ "n": number }),
        )
        .await;
        net += order["data"]["order"]["vatBreakdown"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["net"]["minorUnits"].as_i64().unwrap())
            .sum::<i64>();
    }
    let today = chrono::Utc::now().date_naive();
    let query = "query ($from: NaiveDate!, $to: NaiveDate!) { salesReport(from: $from, to: $to, groupBy: MONTH) { totals { orders revenue { minorUnits } revenueNet { minorUnits } averageOrder { minorUnits } units refunds { minorUnits } } periods { start orders } topProducts { units } carts conversionPercent stockValue { minorUnits } } }";
    let variables = json!({ "from": (today - chrono::Duration::days(1)).to_string(), "to": (today + chrono::Duration::days(1)).to_string() });
    let report = call(&app, &auth, query, variables.clone()).await["data"]["salesReport"].clone();
    let gross = placed[0].1 + placed[1].1;
    assert_eq!(
        report["totals"],
        json!({ "orders": 2, "revenue": { "minorUnits": gross }, "revenueNet": { "minorUnits": net }, "averageOrder": { "minorUnits": gross / 2 }, "units": 3, "refunds": { "minorUnits": 10000 } })
    );
    assert_eq!(report["topProducts"][0]["units"], 3);
    assert!(report["carts"].as_i64().unwrap() >= 3);
    assert!(report["stockValue"]["minorUnits"].as_i64().unwrap() > 0);
    let customer = common::graphql(&app, query, variables).await;
    assert_eq!(
        customer["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}
