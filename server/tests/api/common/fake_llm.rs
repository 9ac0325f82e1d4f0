//! A fake OpenAI-compatible chat-completions server: each request gets the next scripted
//! answer, streamed as server-sent events with comment lines and tool calls in fragments; an
//! answer can also be an HTTP error or a stream that breaks with an error chunk.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

/// One scripted answer.
#[derive(Clone)]
pub(crate) enum Script {
    /// Text in pieces, then `stop`.
    Text(Vec<String>),
    /// A call of `name` with `arguments` (JSON text split in two chunks), then `tool_calls`.
    Tool(String, String),
    /// HTTP 500 before any stream.
    Fail,
    /// A piece of text, then an error chunk mid-stream.
    Break,
}

/// A running fake model.
#[derive(Clone)]
pub(crate) struct FakeLlm {
    pub url: String,
    /// The request bodies received.
    pub requests: Arc<Mutex<Vec<Value>>>,
}

impl FakeLlm {
    pub(crate) async fn start(scripts: Vec<Script>) -> Self {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let state = (Arc::new(Mutex::new(scripts)), requests.clone());
        let app = Router::new()
            .route("/chat/completions", post(complete))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, requests }
    }
}

type Shared = State<(Arc<Mutex<Vec<Script>>>, Arc<Mutex<Vec<Value>>>)>;

fn data(chunk: Value) -> String {
    format!("data: {chunk}\n\n")
}

async fn complete(
    State((scripts, requests)): Shared,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some("Bearer test-key")
    {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": { "code": 401, "message": "no key" } })),
        )
            .into_response();
    }
    requests.lock().unwrap().push(body);
    let script = {
        let mut scripts = scripts.lock().unwrap();
        if scripts.is_empty() {
            Script::Text(vec!["…".into()])
        } else {
            scripts.remove(0)
        }
    };
    let choice = |delta: Value, finish: Value| json!({ "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }] });
    let mut events = vec![": OPENROUTER PROCESSING\n\n".to_owned()];
    match script {
        Script::Fail => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "error": { "code": 500, "message": "down" } })),
            )
                .into_response();
        }
        Script::Text(pieces) => {
            for piece in pieces {
                events.push(data(choice(json!({ "content": piece }), Value::Null)));
            }
            events.push(data(choice(json!({}), json!("stop"))));
        }
        Script::Tool(name, arguments) => {
            let (a, b) = arguments.split_at(arguments.len() / 2);
            events.push(data(choice(json!({ "tool_calls": [{ "index": 0, "id": "call_1", "type": "function", "function": { "name": name, "arguments": a } }] }), Value::Null)));
            events.push(data(choice(
                json!({ "tool_calls": [{ "index": 0, "function": { "arguments": b } }] }),
                Value::Null,
            )));
            events.push(data(choice(json!({}), json!("tool_calls"))));
        }
        Script::Break => {
            events.push(data(choice(json!({ "content": "Hned to" }), Value::Null)));
            events.push(data(json!({ "error": { "code": 502, "message": "upstream died" }, "choices": [{ "index": 0, "delta": {}, "finish_reason": "error" }] })));
        }
    }
    events.push(data(json!({ "choices": [], "usage": { "prompt_tokens": 120, "completion_tokens": 30, "cost": 0.0002 } })));
    events.push("data: [DONE]\n\n".into());
    let body: String = events.concat();
    ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
}
