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
async fn the_tool_loop_is_bounded(pool: PgPool) {
    server::seed::seed(&pool, common::TEST_PRODUCTS)
        .await
        .unwrap();
    let call = Script::Tool("shipping_options".into(), "{}".into());
    let llm = FakeLlm::start(vec![call; 8]).await;
    let app = shop(&pool, Some(&llm.url));
    let (reply, id) = send(&app, None, "rychlovarná konvice", None).await;
    let jar = cookie(&reply);
    let headers = [ORIGIN, ("cookie", jar.as_str())];
    let answer = conversation(&app, &headers, &id.unwrap(), 2).await["messages"][1].clone();
    let requests = llm.requests.lock().unwrap().clone();
    assert_eq!(
        requests.len(),
        5,
        "four rounds of tools, then one turn without them"
    );
    assert_eq!(requests[4]["tools"], json!([]));
    assert!(requests.iter().all(|r| r["max_tokens"] == 700));
    assert!(
        answer["text"]
            .as_str()
            .unwrap()
            .contains("rychlovarné konvice"),
        "the built-in answer: {answer}"
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

async fn mcp(app: &Router, body: Value, headers: &[(&str, &str)]) -> Reply {
    let mut request = axum::http::Request::post("/mcp")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    common::send(
        app,
        request
            .body(axum::body::Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

async fn tool(app: &Router, name: &str, arguments: Value, headers: &[(&str, &str)]) -> Value {
    let call = json!({ "jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": { "name": name, "arguments": arguments } });
    let reply = mcp(app, call, headers).await;
    assert_eq!(reply.status, axum::http::StatusCode::OK, "{}", reply.body);
    reply.json()["result"].clone()
}

#[sqlx::test(migrations = "../migrations")]
async fn outside_agents_get_the_same_tools_over_mcp(pool: PgPool) {
    server::seed::seed(&pool, common::TEST_PRODUCTS)
        .await
        .unwrap();
    let app = shop(&pool, None);
    let init = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "test", "version": "1" } } });
    let reply = mcp(&app, init, &[]).await.json();
    assert_eq!(reply["result"]["protocolVersion"], "2025-06-18");
    assert!(reply["result"]["capabilities"]["tools"].is_object());
    let listed = mcp(
        &app,
        json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/list" }),
        &[],
    )
    .await
    .json();
    let names: Vec<&str> = listed["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "search_products",
            "get_product",
            "compare_products",
            "get_cart",
            "add_to_cart",
            "update_cart",
            "order_status",
            "shipping_options"
        ]
    );
    let unknown = mcp(
        &app,
        json!({ "jsonrpc": "2.0", "id": 3, "method": "resources/list" }),
        &[],
    )
    .await
    .json();
    assert_eq!(unknown["error"]["code"], -32601);
    let foreign = mcp(
        &app,
        json!({ "jsonrpc": "2.0", "id": 4, "method": "tools/list" }),
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(foreign.status, axum::http::StatusCode::FORBIDDEN);

    // Catalog tools for anyone.
    let (slug, price) = chair(&pool).await;
    let found = tool(
        &app,
        "search_products",
        json!({ "category": "kancelarske-zidle", "price_max": 3000, "limit": 10 }),
        &[],
    )
    .await;
    assert_eq!(found["isError"], false);
    let products = found["structuredContent"]["products"].as_array().unwrap();
    assert!(products.iter().any(|p| p["slug"] == slug));
    assert!(
        products
            .iter()
            .all(|p| p["price_czk"].as_str().unwrap().parse::<f64>().unwrap() <= 3000.0)
    );
    let bad = tool(&app, "search_products", json!({ "price_max": "lots" }), &[]).await;
    assert_eq!(bad["isError"], true);

    // A guest agent's cart: made by its first add, used with its id, nobody else's.
    assert_eq!(
        tool(&app, "get_cart", json!({}), &[]).await["isError"],
        true
    );
    let added = tool(
        &app,
        "add_to_cart",
        json!({ "slug": slug, "quantity": 2 }),
        &[],
    )
    .await;
    assert_eq!(added["isError"], false, "{added}");
    let cart_id = added["structuredContent"]["cart_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cart = tool(&app, "get_cart", json!({ "cart_id": cart_id }), &[]).await;
    assert_eq!(cart["structuredContent"]["lines"][0]["quantity"], 2);
    assert_eq!(
        cart["structuredContent"]["total_czk"],
        format!("{}.{:02}", price * 2 / 100, price * 2 % 100)
    );

    // A customer's token reaches only that customer's orders.
    let auth = admin(&app, &pool).await;
    let register = "mutation { customerRegister(input: { email: \"eva@example.cz\", password: \"Zelená louka 2026\", firstName: \"Eva\", lastName: \"M\" }) { accepted } }";
    common::data(&app, register, json!({})).await;
    let login = "mutation { customerLogin(input: { email: \"eva@example.cz\", password: \"Zelená louka 2026\" }) { accessToken } }";
    let eva = format!(
        "Bearer {}",
        common::data(&app, login, json!({})).await["customerLogin"]["accessToken"]
            .as_str()
            .unwrap()
    );
    let mine = tool(&app, "order_status", json!({}), &[("authorization", &eva)]).await;
    assert_eq!(mine["isError"], true, "Eva has no orders");
    let (number,): (String,) = {
        let (_, variant, _) = crate::checkout::variant(&pool, 5).await;
        let cart = crate::checkout::ready_cart(&app, &variant, 1).await;
        let placed = common::data(
            &app,
            crate::checkout::COMPLETE,
            json!({ "cartId": cart, "key": cart }),
        )
        .await;
        (placed["checkoutComplete"]["order"]["number"]
            .as_str()
            .unwrap()
            .to_owned(),)
    };
    let theirs = tool(
        &app,
        "order_status",
        json!({ "number": number }),
        &[("authorization", &eva)],
    )
    .await;
    assert_eq!(theirs["isError"], true, "another's order is refused");
    let staff = tool(
        &app,
        "order_status",
        json!({ "number": number }),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(
        staff["isError"], true,
        "no admin powers through the assistant's tools"
    );
}
