//! Product images uploaded by admins: renditions in three widths served `immutable`, alt texts
//! and gallery order, removal; text, SVG and oversized pictures refused; strangers refused.

use std::io::Cursor;

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{self, app, get};
use crate::orders::{admin, call};

const ADD: &str = "mutation ($p: ID!, $file: Upload!, $alt: String) { productImageAdd(productId: $p, file: $file, alt: $alt) { product { images { id url altText srcSet wide: url(width: 500) } } userErrors { field message } } }";

fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 120, 255])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(picture)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

async fn product(pool: &PgPool) -> String {
    let id: i64 = sqlx::query_scalar("SELECT min(id) FROM products")
        .fetch_one(pool)
        .await
        .unwrap();
    server::ids::encode(server::ids::NodeType::Product, id).0
}

fn images(reply: &Value) -> Vec<Value> {
    reply["data"]["productImageAdd"]["product"]["images"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{reply}"))
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_upload_images_served_in_three_widths(pool: PgPool) {
    let app = app(pool.clone()).await;
    let auth = admin(&app, &pool).await;
    let product = product(&pool).await;

    let stranger = common::upload(&app, "", ADD, json!({ "p": product }), &png(10, 10)).await;
    assert_eq!(
        stranger["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{stranger}"
    );

    let reply = common::upload(
        &app,
        &auth,
        ADD,
        json!({ "p": product, "alt": "Židle zepředu" }),
        &png(1600, 1200),
    )
    .await;
    let gallery = images(&reply);
    let added = gallery.last().unwrap();
    assert_eq!(added["altText"], "Židle zepředu");
    let set = added["srcSet"].as_str().unwrap();
    assert!(
        set.contains("/320.jpg 320w")
            && set.contains("/640.jpg 640w")
            && set.contains("/1280.jpg 1280w"),
        "{set}"
    );
    assert!(added["url"].as_str().unwrap().ends_with("/1280.jpg"));
    let wide = added["wide"].as_str().unwrap();
    assert!(wide.ends_with("/640.jpg"), "{wide}");

    let served = get(&app, wide).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.headers["content-type"], "image/jpeg");
    assert_eq!(
        served.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        get(&app, "/media/images/..%2F..%2Fetc/passwd.jpg")
            .await
            .status
            == 404
    );
    assert!(get(&app, &wide.replace("640.jpg", "641.jpg")).await.status == 404);

    // Not pictures: refused with a reason, nothing added.
    for bad in [
        &b"just text"[..],
        br#"<svg xmlns="http://www.w3.org/2000/svg"/>"#,
    ] {
        let refused = common::upload(&app, &auth, ADD, json!({ "p": product }), bad).await;
        let errors = &refused["data"]["productImageAdd"]["userErrors"];
        assert_eq!(errors[0]["field"], json!(["input", "file"]), "{refused}");
        assert!(
            errors[0]["message"]
                .as_str()
                .unwrap()
                .contains("není obrázek")
        );
    }

    // Alt text and order change; the image moves first, then goes away.
    let id = added["id"].as_str().unwrap();
    let update = "mutation ($id: ID!) { productImageUpdate(id: $id, alt: \"Nový popis\", position: 0) { product { images { id altText } } userErrors { message } } }";
    let updated = call(&app, &auth, update, json!({ "id": id })).await;
    let first = &updated["data"]["productImageUpdate"]["product"]["images"][0];
    assert_eq!(
        (first["id"].as_str(), first["altText"].as_str()),
        (Some(id), Some("Nový popis")),
        "{updated}"
    );
    let delete =
        "mutation ($id: ID!) { productImageDelete(id: $id) { product { images { id } } } }";
    let deleted = call(&app, &auth, delete, json!({ "id": id })).await;
    let left = deleted["data"]["productImageDelete"]["product"]["images"]
        .as_array()
        .unwrap();
    assert_eq!(left.len(), gallery.len() - 1);
    assert!(left.iter().all(|i| i["id"] != id));
    let audited: i64 =
        sqlx::query_scalar("SELECT count(*) FROM catalog_audit WHERE entity = 'image'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audited, 3);
}
