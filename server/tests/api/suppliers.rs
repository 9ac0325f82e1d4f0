//! Supplier imports end to end: admins set up a supplier and its mapping, upload a CSV or XML
//! file through a GraphQL multipart request (or let the worker fetch the feed URL from a server
//! on 127.0.0.1), and the worker imports it: created, updated, unchanged and refused rows with
//! Czech reasons, dry runs that change nothing, hostile XML refused, removed items deleted or
//! archived, and a crashed import resumed where it stopped. Customers are refused.

// Amounts are written as crowns_haléř (`1_331_00` is 1 331 Kč).
#![allow(clippy::inconsistent_digit_grouping)]

use std::sync::Arc;

use axum::Router;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{self, app, data};
use crate::orders::{admin, call};
use server::config::Config;
use server::suppliers::worker::Importer;

const CSV: &[u8] = include_bytes!("../fixtures/suppliers/katalog.csv");
const XML: &[u8] = include_bytes!("../fixtures/suppliers/heureka.xml");
const BOMB: &[u8] = include_bytes!("../fixtures/suppliers/bomb.xml");

const CREATE: &str = "mutation ($input: SupplierInput!) { supplierCreate(input: $input) { supplier { id name mapping { marginPercent categories { supplierCategory } } } userErrors { field code message } } }";
const UPLOAD: &str = "mutation ($s: ID!, $file: Upload!, $dry: Boolean) { supplierImportUpload(supplierId: $s, file: $file, dryRun: $dry) { import { id status } userErrors { field message } } }";
const IMPORT: &str = "query ($id: ID!) { supplierImport(id: $id) { status dryRun rowsRead createdCount updatedCount unchangedCount failedCount archivedCount deletedCount message errors { row code message } } }";

async fn category(pool: &PgPool, slug: &str) -> String {
    let id: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap();
    server::ids::encode(server::ids::NodeType::Category, id).0
}

/// The mapping of `katalog.csv`: net prices, 10 % margin, two categories mapped.
async fn csv_supplier(pool: &PgPool) -> Value {
    json!({ "input": {
        "name": "Nordwood CZ",
        "mapping": {
            "code": "kod", "name": "nazev", "price": "cena_bez_dph", "priceIncludesVat": false,
            "marginPercent": 10, "rounding": "CROWNS", "vatRate": "dph", "stock": "sklad",
            "category": "kategorie", "brand": "vyrobce", "ean": "ean", "description": "popis",
            "skuPrefix": "NW-",
            "categories": [
                { "supplierCategory": "Židle", "categoryId": category(pool, "jidelni-zidle").await },
                { "supplierCategory": "Stoly", "categoryId": category(pool, "psaci-stoly").await }
            ]
        }
    } })
}

fn importer(pool: &PgPool) -> Importer {
    let config = Config::from_environment().expect("configuration");
    let redis = common::test_redis(pool, &config.redis_url);
    let media = Arc::new(server::media::DiskStore::new(&config.media_dir));
    Importer::new(pool.clone(), redis, media, 10_000)
}

/// Queues an import of `file` through `POST /graphql/upload`.
async fn upload(app: &Router, auth: &str, supplier: &str, file: &[u8], dry_run: bool) -> Value {
    let variables = json!({ "s": supplier, "dry": dry_run });
    common::upload(app, auth, UPLOAD, variables, file).await
}

/// Uploads a file, runs the worker and answers with the finished import.
async fn import(
    app: &Router,
    pool: &PgPool,
    auth: &str,
    supplier: &str,
    file: &[u8],
    dry_run: bool,
) -> Value {
    let queued = upload(app, auth, supplier, file, dry_run).await;
    let payload = &queued["data"]["supplierImportUpload"];
    assert_eq!(payload["userErrors"], json!([]), "{queued}");
    assert_eq!(payload["import"]["status"], "QUEUED");
    let id = payload["import"]["id"].as_str().unwrap().to_owned();
    importer(pool).run_next().await.expect("the import runs");
    call(app, auth, IMPORT, json!({ "id": id })).await["data"]["supplierImport"].clone()
}

async fn variant(pool: &PgPool, sku: &str) -> Option<(i64, i64, i16, i32, String, String)> {
    sqlx::query_as(
        "SELECT v.price_gross, v.product_id, v.vat_rate, v.stock_quantity, p.status, coalesce(b.name, '') \
           FROM product_variants v JOIN products p ON p.id = v.product_id LEFT JOIN brands b ON b.id = p.brand_id \
          WHERE v.sku = $1",
    )
    .bind(sku)
    .fetch_optional(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_csv_import_creates_updates_and_retires_products(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let input = csv_supplier(&pool).await;

    // Strangers and customers are refused.
    let anonymous = common::graphql(&app, CREATE, input.clone()).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let register = "mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) { userErrors { field } } }";
    let person = json!({ "email": "jana@example.cz", "password": "Zelená louka 2026", "firstName": "Jana", "lastName": "Nováková" });
    data(&app, register, json!({ "input": person })).await;
    let login = "mutation { customerLogin(input: { email: \"jana@example.cz\", password: \"Zelená louka 2026\" }) { accessToken } }";
    let token = data(&app, login, json!({})).await["customerLogin"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let customer = call(&app, &format!("Bearer {token}"), CREATE, input.clone()).await;
    assert_eq!(customer["errors"][0]["extensions"]["code"], "FORBIDDEN");

    // A mapping that cannot work is refused field by field.
    let mut silly = input.clone();
    silly["input"]["mapping"]["marginPercent"] = json!(5000);
    let refused = call(&app, &auth, CREATE, silly).await;
    assert_eq!(
        refused["data"]["supplierCreate"]["userErrors"][0]["field"],
        json!(["input", "mapping"])
    );

    let created = call(&app, &auth, CREATE, input).await;
    let supplier = created["data"]["supplierCreate"]["supplier"].clone();
    assert_eq!(supplier["mapping"]["marginPercent"], 10.0, "{created}");
    let supplier = supplier["id"].as_str().unwrap().to_owned();

    // A dry run counts and changes nothing.
    let dry = import(&app, &pool, &auth, &supplier, CSV, true).await;
    assert_eq!(
        (dry["status"].as_str(), dry["dryRun"].as_bool()),
        (Some("FINISHED"), Some(true)),
        "{dry}"
    );
    assert_eq!(
        (dry["createdCount"].as_i64(), dry["failedCount"].as_i64()),
        (Some(3), Some(5)),
        "{dry}"
    );
    assert!(variant(&pool, "NW-ZID-100").await.is_none());

    // The real import: three products, five rows refused with their reasons in Czech.
    let done = import(&app, &pool, &auth, &supplier, CSV, false).await;
    assert_eq!(done["status"], "FINISHED", "{done}");
    assert_eq!(done["rowsRead"], 8);
    assert_eq!(
        (done["createdCount"].as_i64(), done["failedCount"].as_i64()),
        (Some(3), Some(5))
    );
    let errors: Vec<(i64, String)> = done["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert_eq!(
        errors[0],
        (
            4,
            "Kategorie dodavatele „Hračky“ nemá přiřazenou kategorii obchodu.".to_owned()
        )
    );
    assert!(
        errors[1].1.contains("„zdarma“ není kladná cena"),
        "{errors:?}"
    );
    assert!(errors[2].1.contains("sazba DPH"), "{errors:?}");
    assert!(errors[3].1.contains("Chybí kód"), "{errors:?}");
    assert!(errors[4].1.contains("polí"), "{errors:?}");
    // 1 000 net + 10 % margin + 21 % VAT = 1 331 Kč; 1 250,50 → 1 664,4155 → 1 664 Kč.
    let (price, product, vat, stock, status, brand) = variant(&pool, "NW-ZID-100").await.unwrap();
    assert_eq!(
        (price, vat, stock, status.as_str(), brand.as_str()),
        (1_331_00, 21, 12, "PUBLISHED", "Nordwood")
    );
    assert_eq!(variant(&pool, "NW-ZID-101").await.unwrap().0, 1_664_00);
    assert_eq!(variant(&pool, "NW-STO-200").await.unwrap().0, 6_642_00);
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM catalog_audit WHERE entity = 'product' AND entity_id = $1",
    )
    .bind(product)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // The same file again changes nothing.
    let again = import(&app, &pool, &auth, &supplier, CSV, false).await;
    assert_eq!(
        (
            again["unchangedCount"].as_i64(),
            again["createdCount"].as_i64()
        ),
        (Some(3), Some(0)),
        "{again}"
    );

    // An order has ZID-101; then the supplier drops it and STO-200 and raises ZID-100.
    order_of(&pool, "NW-ZID-101").await;
    let next = "kod;nazev;cena_bez_dph;dph;sklad;kategorie;vyrobce\nZID-100;Jídelní židle Oslo;2000;21;4;Židle;Nordwood\n";
    let changed = import(&app, &pool, &auth, &supplier, next.as_bytes(), false).await;
    assert_eq!(changed["updatedCount"], 1, "{changed}");
    assert_eq!(
        (
            changed["archivedCount"].as_i64(),
            changed["deletedCount"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let (price, _, _, stock, ..) = variant(&pool, "NW-ZID-100").await.unwrap();
    assert_eq!((price, stock), (2_662_00, 4));
    assert_eq!(variant(&pool, "NW-ZID-101").await.unwrap().4, "ARCHIVED");
    assert!(
        variant(&pool, "NW-STO-200").await.is_none(),
        "a product nobody ordered is deleted"
    );
}

/// An order with one line of `sku`, as checkout would have written it.
async fn order_of(pool: &PgPool, sku: &str) {
    let order: i64 = sqlx::query_scalar(
        "INSERT INTO orders (number, status, email, shipping_address, billing_address, shipping_method, payment_method, \
                             subtotal, discount, shipping, payment_fee, total, vat_breakdown, idempotency_key, cart_fingerprint) \
         VALUES ('2026000999', 'PAID', 'jana@example.cz', '{}', '{}', 'PPL', 'CARD', 100, 0, 0, 0, 100, '[]', 'k', 'f') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO order_lines (order_id, position, variant_id, sku, product_name, variant_title, quantity, unit_price, vat_rate, total) \
         SELECT $1, 1, id, sku, 'Židle', '', 1, price_gross, vat_rate, price_gross FROM product_variants WHERE sku = $2",
    )
    .bind(order)
    .bind(sku)
    .execute(pool)
    .await
    .unwrap();
}

async fn heureka_supplier(app: &Router, pool: &PgPool, auth: &str, feed: Option<String>) -> String {
    let input = json!({ "input": {
        "name": "Světlo",
        "mapping": {
            "code": "ITEM_ID", "name": "PRODUCTNAME", "price": "PRICE_VAT", "priceIncludesVat": true,
            "vatRate": "VAT", "stock": "STOCK/QUANTITY", "category": "CATEGORYTEXT", "brand": "MANUFACTURER",
            "ean": "EAN", "description": "DESCRIPTION", "rounding": "NONE",
            "categories": [{ "supplierCategory": "Nábytek | Židle", "categoryId": category(pool, "kresla").await }]
        },
        "feedUrl": feed, "fetchEveryHours": 24
    } });
    let created = call(app, auth, CREATE, input).await;
    created["data"]["supplierCreate"]["supplier"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn heureka_xml_imports_and_hostile_xml_is_refused(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let supplier = heureka_supplier(&app, &pool, &auth, None).await;

    let done = import(&app, &pool, &auth, &supplier, XML, false).await;
    assert_eq!(
        (done["createdCount"].as_i64(), done["failedCount"].as_i64()),
        (Some(2), Some(1)),
        "{done}"
    );
    assert!(
        done["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Chybí cena")
    );
    let (price, product, vat, stock, _, brand) = variant(&pool, "H-1").await.unwrap();
    assert_eq!(
        (price, vat, stock, brand.as_str()),
        (1_199_00, 21, 7, "Světlo s.r.o.")
    );
    let name: String = sqlx::query_scalar("SELECT name FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, "Lampa Čáp & syn");
    assert_eq!(variant(&pool, "H-2").await.unwrap().2, 12);

    // An entity bomb with an external entity: refused before any expansion, nothing imported.
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM products")
        .fetch_one(&pool)
        .await
        .unwrap();
    let bomb = import(&app, &pool, &auth, &supplier, BOMB, false).await;
    assert_eq!(bomb["status"], "FAILED", "{bomb}");
    assert!(bomb["message"].as_str().unwrap().contains("DOCTYPE"));
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM products")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(before, after, "a refused file retires nothing either");
    assert_eq!(variant(&pool, "H-1").await.unwrap().4, "PUBLISHED");

    // Not a file at all.
    let empty = upload(&app, &auth, &supplier, b"", false).await;
    assert_eq!(
        empty["data"]["supplierImportUpload"]["userErrors"][0]["field"],
        json!(["input", "file"])
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_crashed_import_resumes_after_its_last_committed_row(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let supplier = heureka_supplier(&app, &pool, &auth, None).await;
    let queued = upload(&app, &auth, &supplier, XML, false).await;
    let id = queued["data"]["supplierImportUpload"]["import"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A worker took the job, committed the first row, and died: its heartbeat is old.
    let job: i64 = sqlx::query_scalar("SELECT max(id) FROM import_jobs")
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE import_jobs SET status = 'RUNNING', rows_done = 1, created = 1, heartbeat_at = now() - interval '1 hour' WHERE id = $1")
        .bind(job)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(importer(&pool).run_next().await.unwrap(), Some(job));
    let resumed =
        call(&app, &auth, IMPORT, json!({ "id": id })).await["data"]["supplierImport"].clone();
    assert_eq!(resumed["status"], "FINISHED", "{resumed}");
    assert_eq!(resumed["rowsRead"], 3);
    assert!(
        variant(&pool, "H-1").await.is_none(),
        "row 1 counted as done is not applied again"
    );
    assert!(variant(&pool, "H-2").await.is_some());
    // A running job with a live heartbeat is not taken by a second worker.
    sqlx::query("UPDATE import_jobs SET status = 'RUNNING', heartbeat_at = now() WHERE id = $1")
        .bind(job)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(importer(&pool).run_next().await.unwrap(), None);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_feed_url_is_fetched_on_schedule_within_the_size_limit(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let feed = axum::Router::new()
        .route("/feed.xml", axum::routing::get(|| async { XML }))
        .route(
            "/huge.xml",
            axum::routing::get(|| async { vec![b' '; 20_000] }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, feed).await });
    let supplier = heureka_supplier(
        &app,
        &pool,
        &auth,
        Some(format!("http://{address}/feed.xml")),
    )
    .await;

    let worker = importer(&pool);
    assert_eq!(worker.queue_due_feeds().await.unwrap(), 1);
    assert_eq!(
        worker.queue_due_feeds().await.unwrap(),
        0,
        "the next fetch is a day away"
    );
    assert!(worker.run_next().await.unwrap().is_some());
    assert_eq!(variant(&pool, "H-1").await.unwrap().0, 1_199_00);

    // A feed over the size limit (10 kB in this test) is refused, not read.
    let update = "mutation ($id: ID!, $input: SupplierInput!) { supplierUpdate(id: $id, input: $input) { userErrors { message } } }";
    let mut input = json!({ "name": "Světlo", "mapping": { "code": "ITEM_ID", "name": "PRODUCTNAME", "price": "PRICE_VAT", "priceIncludesVat": true } });
    input["feedUrl"] = json!(format!("http://{address}/huge.xml"));
    let updated = call(
        &app,
        &auth,
        update,
        json!({ "id": supplier, "input": input }),
    )
    .await;
    assert_eq!(
        updated["data"]["supplierUpdate"]["userErrors"],
        json!([]),
        "{updated}"
    );
    let queued = call(
        &app,
        &auth,
        "mutation ($s: ID!) { supplierImportFeed(supplierId: $s) { import { id } } }",
        json!({ "s": supplier }),
    )
    .await;
    let id = queued["data"]["supplierImportFeed"]["import"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    worker.run_next().await.unwrap();
    let failed =
        call(&app, &auth, IMPORT, json!({ "id": id })).await["data"]["supplierImport"].clone();
    assert_eq!(failed["status"], "FAILED");
    assert!(
        failed["message"].as_str().unwrap().contains("větší než"),
        "{failed}"
    );
}
