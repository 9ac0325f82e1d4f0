//! What reaches the page: text from the URL and the catalog is escaped wherever it lands, and a
//! Content-Security-Policy would stop a script that slipped through anyway.

use sqlx::PgPool;

use crate::common::{app, get};

const ATTACK: &str = "</title><script>alert(1)</script>\"><img src=x onerror=alert(2)>";

#[sqlx::test(migrations = "../migrations")]
async fn a_search_query_cannot_write_markup_into_the_page(pool: PgPool) {
    let app = app(pool).await;
    let query: String = url_escape(ATTACK);
    let page = get(&app, &format!("/hledat?q={query}")).await;
    assert!(
        !page.body.contains("<script>alert(1)"),
        "the query is escaped: {}",
        &page.body[..page.body.len().min(2000)]
    );
    assert!(!page.body.contains("<img src=x"), "no injected element");
    let title = page
        .body
        .split("<title>")
        .nth(1)
        .and_then(|rest| rest.split("</title>").next())
        .expect("a title");
    assert!(title.contains("&lt;/title&gt;&lt;script&gt;"), "{title}");
}

#[sqlx::test(migrations = "../migrations")]
async fn catalog_text_cannot_close_the_json_ld_script(pool: PgPool) {
    let app = app(pool.clone()).await;
    let slug: String = sqlx::query_scalar(
        "UPDATE products SET name = $1 WHERE id = (SELECT min(id) FROM products) RETURNING slug",
    )
    .bind(format!("Židle {ATTACK}"))
    .fetch_one(&pool)
    .await
    .unwrap();
    let page = get(&app, &format!("/p/{slug}")).await;
    assert_eq!(page.status, 200);
    let json_ld = page
        .body
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("JSON-LD");
    assert!(!json_ld.contains('<'), "{json_ld}");
    let parsed: serde_json::Value = serde_json::from_str(json_ld).expect("valid JSON");
    assert_eq!(parsed["name"], format!("Židle {ATTACK}"));
    assert!(!page.body.contains("<script>alert(1)"));
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_carry_a_policy_that_names_their_own_script(pool: PgPool) {
    let app = app(pool).await;
    let page = get(&app, "/").await;
    let policy = page
        .headers
        .get("content-security-policy")
        .expect("a policy")
        .to_str()
        .unwrap();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce");
    assert!(nonce.len() >= 16, "{policy}");
    for directive in [
        "script-src 'self' 'nonce-",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.contains(directive), "{directive} in {policy}");
    }
    assert!(
        page.body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    // Every inline script of the page carries it.
    let inline_scripts = page.body.matches("<script").count();
    let with_nonce = page.body.matches(&format!("nonce=\"{nonce}\"")).count();
    let json_ld = page.body.matches("application/ld+json").count();
    assert!(with_nonce + json_ld >= inline_scripts, "{}", page.body);
    // A new nonce for every response.
    let again = get(&app, "/").await;
    assert_ne!(
        again.headers.get("content-security-policy").unwrap(),
        page.headers.get("content-security-policy").unwrap()
    );
    assert_eq!(
        page.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert_eq!(
        page.headers.get("referrer-policy").unwrap(),
        "strict-origin-when-cross-origin"
    );
    // Not a page: nothing may run at all.
    let api = get(&app, "/health").await;
    let policy = api.headers.get("content-security-policy").unwrap();
    assert!(policy.to_str().unwrap().starts_with("default-src 'none'"));
    assert!(
        api.headers.get("strict-transport-security").is_none(),
        "HSTS only in production"
    );
}

/// Percent-encodes everything but letters and digits.
fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn plain_forms_post_only_from_the_shops_pages(pool: PgPool) {
    use axum::{body::Body, http::Request};
    let app = app(pool).await;
    let form = |origin: &str| {
        Request::post("/ucet/prihlasit")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", origin)
            .body(Body::from(
                "email=jana%40example.cz&password=cokoli+1234567",
            ))
            .unwrap()
    };
    let foreign = crate::common::send(&app, form("https://evil.example")).await;
    assert_eq!(foreign.status, 403);
    let own = crate::common::send(&app, form(super::SHOP_ORIGIN)).await;
    assert_eq!(own.status, 303);
    assert_eq!(
        own.headers["location"], "/prihlaseni?chyba=prihlaseni",
        "a refused sign-in goes back to the form, the password in no URL"
    );
}
