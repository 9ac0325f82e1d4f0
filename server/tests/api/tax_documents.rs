//! Tax documents: a paid order gets its (simplified) tax document once, numbered in the yearly
//! series; its PDF opens with the key from the e-mail and its text reads back with pdftotext
//! (Czech letters included); a refund gets a credit note that refers to it. Only who may see
//! the order lists its documents.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::{self, get};
use crate::orders::call;
use crate::payments::{CardOrder, REFUND, notify, payments_settings};
use server::config::Config;

const DOCUMENTS: &str = "query ($n: String!) { taxDocuments(orderNumber: $n) { number kind title total { minorUnits } originalNumber pdfUrl } }";

/// The text of a PDF as `pdftotext -layout` reads it.
fn pdf_text(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("lipa-doklad-{}.pdf", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let output = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (Debian's poppler-utils) is installed by scripts/bootstrap.sh");
    std::fs::remove_file(&path).ok();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_paid_order_gets_a_tax_document_and_a_refund_its_credit_note(pool: PgPool) {
    let card = CardOrder::new(&pool).await;
    let (app, auth, number, total) = (&card.app, &card.auth, card.number.clone(), card.total);
    let settings = Config::from_environment().unwrap().invoice_settings();
    let issue = || server::invoices::service::issue_due(&pool, &settings);

    assert_eq!(
        issue().await.unwrap(),
        0,
        "nothing is due before the payment"
    );
    card.pay().await;
    let (body, signature) = card.payu_says(1, "COMPLETED");
    notify(app, &body, &signature).await;
    assert_eq!(issue().await.unwrap(), 1);
    assert_eq!(issue().await.unwrap(), 0, "one document per order");

    let listed = call(app, auth, DOCUMENTS, json!({ "n": number })).await;
    let documents = listed["data"]["taxDocuments"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{listed}"));
    assert_eq!(documents.len(), 1);
    let invoice = &documents[0];
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(invoice["number"], format!("FV{year}000001"));
    assert_eq!(
        invoice["kind"], "SIMPLIFIED",
        "a guest without IČO, below 10 000 Kč"
    );
    assert_eq!(invoice["total"]["minorUnits"], total);

    // Strangers do not learn that the order exists.
    let stranger = common::graphql(app, DOCUMENTS, json!({ "n": number })).await;
    assert_eq!(stranger["errors"][0]["extensions"]["code"], "NOT_FOUND");

    // The PDF opens with its key only, and reads back.
    let url = invoice["pdfUrl"].as_str().unwrap();
    let pdf = get(app, url).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    let wrong = url
        .rsplit_once('=')
        .map(|(start, _)| format!("{start}=0000"))
        .unwrap();
    assert_eq!(get(app, &wrong).await.status, 404);
    let bytes = pdf_bytes(app, url).await;
    let text = pdf_text(&bytes);
    for expected in [
        format!("Zjednodušený daňový doklad č. FV{year}000001"),
        "Lípa s.r.o.".to_owned(),
        "DIČ: CZ12345678".to_owned(),
        "Datum uskutečnění zdanitelného plnění".to_owned(),
        "Objednávka:".to_owned(),
        "Cena/ks bez DPH".to_owned(),
        "21 %".to_owned(),
    ] {
        assert!(
            text.contains(&expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(text.contains(&number));

    // The e-mail carries the same link.
    let mail: Value = sqlx::query_scalar(
        "SELECT payload FROM outbox WHERE payload->>'subject' LIKE 'Zjednodušený daňový doklad%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(mail["body"].as_str().unwrap().contains(url), "{mail}");

    // A refund, once PayU finished it, gets its credit note in its own series.
    let refunded = call(app, auth, REFUND, json!({ "n": number, "a": 10_000 })).await;
    assert_eq!(
        refunded["data"]["orderRefund"]["userErrors"],
        json!([]),
        "{refunded}"
    );
    assert_eq!(
        issue().await.unwrap(),
        0,
        "a pending refund is not money back yet"
    );
    card.payu.finish_refunds("FINALIZED");
    let payments = server::payments::Payments::new(
        &payments_settings(&card.payu.url),
        "http://127.0.0.1:3000",
    );
    server::payments::service::follow_pending_refunds(&pool, &payments)
        .await
        .unwrap();
    assert_eq!(issue().await.unwrap(), 1);
    let listed = call(app, auth, DOCUMENTS, json!({ "n": number })).await;
    let note = &listed["data"]["taxDocuments"][1];
    assert_eq!(note["number"], format!("OD{year}000001"));
    assert_eq!(note["kind"], "CREDIT_NOTE");
    assert_eq!(note["originalNumber"], format!("FV{year}000001"));
    assert_eq!(note["total"]["minorUnits"], -10_000);
    let text = pdf_text(&pdf_bytes(app, note["pdfUrl"].as_str().unwrap()).await);
    assert!(text.contains("Opravný daňový doklad"), "{text}");
    let refers = text
        .lines()
        .find(|line| line.contains("Opravovaný doklad:"))
        .unwrap_or_else(|| panic!("no reference to the original in:\n{text}"));
    assert!(refers.contains(&format!("FV{year}000001")), "{refers}");
    assert!(text.contains("Reklamace"), "{text}");
}

/// The raw bytes of a response (the shared helper reads text).
async fn pdf_bytes(app: &axum::Router, uri: &str) -> Vec<u8> {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::get(uri)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}
