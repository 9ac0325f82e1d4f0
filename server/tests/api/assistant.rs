//! The shopping assistant over GraphQL: the built-in assistant grounded in the catalog, guest
//! ownership, the model's tool loop through a fake OpenAI-compatible server, grounding of what
//! the model writes, and falling back when the model fails.

use std::time::Duration;

use axum::Router;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::common::fake_llm::{FakeLlm, Script};
use crate::common::{self, Reply, graphql_with, test_redis};
use crate::orders::admin;
use server::config::Config;

const ORIGIN: (&str, &str) = ("origin", "http://127.0.0.1:3000");
const SEND: &str = "mutation ($input: AssistantSendInput!) { assistantSend(input: $input) { conversation { id } userErrors { field code } } }";
const CONVERSATION: &str = "query ($id: ID!) { assistantConversation(id: $id) { messages { role text products { slug name priceRange { min { minorUnits } } } } usage { droppedReferences promptTokens } } }";

/// A shop whose model is at `llm` (with a key), or none.
fn shop(pool: &PgPool, llm: Option<&str>) -> Router {
    let redis = test_redis(pool, &Config::from_environment().unwrap().redis_url);
    let llm = llm.map(str::to_owned);
    common::app_with_config(pool.clone(), redis, move |config| {
        config.assistant.api_key = llm.as_ref().map(|_| "test-key".to_owned());
        if let Some(url) = llm {
            config.assistant.base_url = url;
        }
    })
}

fn cookie(reply: &Reply) -> String {
    let set = reply
        .headers
        .get("set-cookie")
        .expect("a cart cookie")
        .to_str()
        .unwrap();
    set.split(';').next().unwrap().to_owned()
}

/// Sends a message as a storefront guest with `jar`; returns the reply and the conversation id.
async fn send(
    app: &Router,
    jar: Option<&str>,
    message: &str,
    conversation: Option<&str>,
) -> (Reply, Option<String>) {
    let mut headers = vec![ORIGIN];
    if let Some(jar) = jar {
        headers.push(("cookie", jar));
    }
    let input = json!({ "input": { "message": message, "conversationId": conversation } });
    let reply = graphql_with(app, SEND, input, &headers).await;
    let id = reply.json()["data"]["assistantSend"]["conversation"]["id"]
        .as_str()
        .map(str::to_owned);
    (reply, id)
}

/// The conversation once it has `count` messages (the reply is written in the background).
async fn conversation(app: &Router, headers: &[(&str, &str)], id: &str, count: usize) -> Value {
    for _ in 0..100 {
        let reply = graphql_with(app, CONVERSATION, json!({ "id": id }), headers)
            .await
            .json();
        let conversation = reply["data"]["assistantConversation"].clone();
        if conversation["messages"]
            .as_array()
            .is_some_and(|m| m.len() >= count)
        {
            return conversation;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no reply in time");
}

async fn chair(pool: &PgPool) -> (String, i64) {
    sqlx::query_as(
        "SELECT p.slug, p.price_min FROM products p JOIN categories c ON c.id = p.category_id \
          WHERE c.slug = 'kancelarske-zidle' AND p.price_min <= 300000 ORDER BY p.price_min LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_built_in_assistant_answers_from_the_catalog(pool: PgPool) {
    server::seed::seed(&pool, common::TEST_PRODUCTS)
        .await
        .unwrap();
    let app = shop(&pool, None);
    let (reply, id) = send(&app, None, "Hledám kancelářskou židli do 3 000 Kč", None).await;
    let jar = cookie(&reply);
    let id = id.expect("a conversation");
    let headers = [ORIGIN, ("cookie", jar.as_str())];
    let talk = conversation(&app, &headers, &id, 2).await;
    let answer = &talk["messages"][1];
    assert_eq!(answer["role"], "ASSISTANT");
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .contains("kancelářské židle"),
        "{answer}"
    );
    let products = answer["products"].as_array().unwrap();
    assert!(!products.is_empty(), "{answer}");
    let slugs: Vec<&str> = products
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    let in_category: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE c.slug = 'kancelarske-zidle' AND p.slug = ANY ($1) AND p.price_min <= 300000",
    )
    .bind(&slugs)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        in_category as usize,
        slugs.len(),
        "every product fits the request"
    );
    assert_eq!(talk["usage"], Value::Null, "usage is for admins");

    // A budget alone asks back; the conversation goes on.
    send(&app, Some(&jar), "do 500 Kč", Some(&id)).await;
    let asked = conversation(&app, &headers, &id, 4).await;
    assert!(
        asked["messages"][3]["text"]
            .as_str()
            .unwrap()
            .starts_with("Co hledáte do 500"),
        "{asked}"
    );

    // Another browser sees nothing of it.
    let stranger = [
        ORIGIN,
        ("cookie", "shop_cart=00000000-0000-4000-8000-000000000000"),
    ];
    let other = graphql_with(&app, CONVERSATION, json!({ "id": id }), &stranger)
        .await
        .json();
    assert_eq!(other["errors"][0]["extensions"]["code"], "NOT_FOUND");
    let (hijack, _) = send(
        &app,
        Some("shop_cart=00000000-0000-4000-8000-000000000000"),
        "ahoj",
        Some(&id),
    )
    .await;
    assert_eq!(
        hijack.json()["errors"][0]["extensions"]["code"],
        "NOT_FOUND"
    );
    // Too long a message is refused with a reason.
    let (long, _) = send(&app, Some(&jar), &"a".repeat(1001), Some(&id)).await;
    assert_eq!(
        long.json()["data"]["assistantSend"]["userErrors"][0]["code"],
        "INVALID"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_model_uses_the_tools_and_only_real_products_are_shown(pool: PgPool) {
    server::seed::seed(&pool, common::TEST_PRODUCTS)
        .await
        .unwrap();
    let (slug, price) = chair(&pool).await;
    let crowns = price / 100;
    let llm = FakeLlm::start(vec![
        Script::Tool(
            "search_products".into(),
            json!({ "category": "kancelarske-zidle", "price_max": 3000 }).to_string(),
        ),
        Script::Text(vec![
            format!("Doporučuji [[{slug}]] za {crowns} Kč"),
            " a [[zidle-ktera-neexistuje]] za 99 Kč.".into(),
        ]),
    ])
    .await;
    let app = shop(&pool, Some(&llm.url));
    let (reply, id) = send(&app, None, "kancelářská židle do 3000", None).await;
    let jar = cookie(&reply);
    let id = id.unwrap();
    let headers = [ORIGIN, ("cookie", jar.as_str())];
    let answer = conversation(&app, &headers, &id, 2).await["messages"][1].clone();
    let text = answer["text"].as_str().unwrap();
    assert!(
        !text.contains("[[") && !text.contains("neexistuje"),
        "{text}"
    );
    assert!(
        !text.contains("99 Kč"),
        "an invented price is dropped: {text}"
    );
    assert!(
        text.contains(&format!("{crowns} Kč")),
        "the real price stays: {text}"
    );
    assert_eq!(answer["products"].as_array().unwrap().len(), 1);
    assert_eq!(answer["products"][0]["slug"], slug);

    // The model got the tools and the tool's result as data.
    let requests = llm.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    assert!(
        requests[0]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["function"]["name"] == "search_products")
    );
    let tool_message = requests[1]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "tool")
        .unwrap()
        .clone();
    assert!(tool_message["content"].as_str().unwrap().contains(&slug));

    // Admins see what it cost and what was dropped.
    let auth = admin(&app, &pool).await;
    let by_admin = graphql_with(
        &app,
        CONVERSATION,
        json!({ "id": id }),
        &[("authorization", &auth)],
    )
    .await
    .json();
    let usage = &by_admin["data"]["assistantConversation"]["usage"];
    assert_eq!(
        *usage,
        json!({ "droppedReferences": 2, "promptTokens": 240 })
    );
    let totals = graphql_with(
        &app,
        "{ assistantUsage { promptTokens completionTokens droppedReferences } }",
        json!({}),
        &[("authorization", &auth)],
    )
    .await
    .json();
    assert_eq!(
        totals["data"]["assistantUsage"],
        json!({ "promptTokens": 240, "completionTokens": 60, "droppedReferences": 2 })
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failing_model_falls_back_to_the_built_in_assistant(pool: PgPool) {
    server::seed::seed(&pool, common::TEST_PRODUCTS)
        .await
        .unwrap();
    let llm = FakeLlm::start(vec![Script::Fail, Script::Break]).await;
    let app = shop(&pool, Some(&llm.url));
    for _ in 0..2 {
        let (reply, id) = send(&app, None, "aku vrtačka", None).await;
        let jar = cookie(&reply);
        let headers = [ORIGIN, ("cookie", jar.as_str())];
        let answer = conversation(&app, &headers, &id.unwrap(), 2).await["messages"][1].clone();
        assert!(
            answer["text"].as_str().unwrap().contains("aku vrtačky"),
            "{answer}"
        );
        assert!(!answer["products"].as_array().unwrap().is_empty());
    }
}
