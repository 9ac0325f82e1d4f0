//! `/mcp`: the shop's tools for outside AI agents over the Model Context Protocol (streamable
//! HTTP, stateless JSON-RPC 2.0: `initialize`, `server/discover`, `tools/list`, `tools/call`).
//! The same tools as the shop's own assistant: catalog tools for anyone; cart and order tools
//! for the customer of a bearer token, or a guest naming a cart id. Cookies never count here,
//! and a browser on another origin is refused.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::AppState;
use crate::assistant::tools::{self, Caller as ToolCaller, ToolError};
use crate::auth::Via;
use crate::graphql::Caller;
use crate::ids::{self, NodeType};
use crate::rate_limit::{self, Limit};

/// The newest protocol version this server speaks.
const PROTOCOL: &str = "2025-11-25";
/// Calls per client address and minute.
const CALLS: Limit = Limit {
    name: "mcp-ip",
    max: 120,
    window: std::time::Duration::from_secs(60),
};
/// Tools that act for a customer or a guest's cart.
const PERSONAL: [&str; 4] = ["get_cart", "add_to_cart", "update_cart", "order_status"];

/// `POST /mcp`.
pub(super) async fn call(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if origin.is_some_and(|o| o != state.config.public_url) {
        return (
            StatusCode::FORBIDDEN,
            "this origin may not call the shop's MCP server",
        )
            .into_response();
    }
    let ip = caller.info.ip.clone().unwrap_or_else(|| "-".into());
    if let Err(limited) = rate_limit::check(&state.redis, CALLS, &ip).await {
        let error = json!({ "jsonrpc": "2.0", "id": null, "error": { "code": -32000, "message": limited.to_string() } });
        return (StatusCode::TOO_MANY_REQUESTS, Json(error)).into_response();
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return Json(failure(Value::Null, -32700, "parse error")).into_response();
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let Some(method) = request.get("method").and_then(Value::as_str) else {
        return Json(failure(id, -32600, "invalid request")).into_response();
    };
    if request.get("id").is_none() {
        // A notification (`notifications/initialized`, …): nothing to answer.
        return StatusCode::ACCEPTED.into_response();
    }
    let customer = caller
        .viewer
        .0
        .filter(|viewer| viewer.via == Via::Bearer)
        .map(|viewer| viewer.customer_id);
    let params = request.get("params").cloned().unwrap_or(Value::Null);
    let result = match method {
        "initialize" => Ok(json!({
            "protocolVersion": params["protocolVersion"].as_str().filter(|v| *v <= PROTOCOL).unwrap_or(PROTOCOL),
            "capabilities": { "tools": {} },
            "serverInfo": { "name": "lipa-shop", "version": env!("CARGO_PKG_VERSION") },
            "instructions": "Tools of the Lípa shop (Czech Republic, prices in CZK with VAT). Cart and order tools act for the bearer token's customer, or a guest's cart_id.",
        })),
        "server/discover" => Ok(json!({
            "supportedVersions": [PROTOCOL, "2026-07-28"],
            "capabilities": { "tools": {} },
            "serverInfo": { "name": "lipa-shop", "version": env!("CARGO_PKG_VERSION") },
        })),
        "ping" => Ok(json!({})),
        "tools/list" => Ok(json!({ "tools": tool_list() })),
        "tools/call" => Ok(run(&state, customer, &params).await),
        _ => Err((-32601, "method not found")),
    };
    match result {
        Ok(result) => Json(json!({ "jsonrpc": "2.0", "id": id, "result": result })).into_response(),
        Err((code, message)) => Json(failure(id, code, message)).into_response(),
    }
}

fn failure(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

/// The tools as MCP lists them; personal tools also take a guest's `cart_id`.
fn tool_list() -> Vec<Value> {
    tools::definitions()
        .into_iter()
        .map(|tool| {
            let mut schema = tool.parameters;
            if PERSONAL.contains(&tool.name) {
                schema["properties"]["cart_id"] = json!({ "type": "string", "description": "a guest's cart id (without a bearer token)" });
            }
            json!({ "name": tool.name, "description": tool.description, "inputSchema": schema })
        })
        .collect()
}

/// A tool call; business failures come back as a result with `isError`, as MCP wants.
async fn run(state: &AppState, customer: Option<i64>, params: &Value) -> Value {
    let name = params["name"].as_str().unwrap_or_default();
    let mut arguments = params
        .get("arguments")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let cart = match arguments.as_object_mut().and_then(|a| a.remove("cart_id")) {
        Some(Value::String(id)) => {
            match ids::decode_uuid_as(NodeType::Cart, &async_graphql::ID(id)) {
                Ok(cart) => Some(cart),
                Err(_) => return tool_error("cart_id is not a cart"),
            }
        }
        _ => None,
    };
    // A guest agent's first `add_to_cart` makes its cart (its id comes back as `cart_id`).
    if PERSONAL.contains(&name) && name != "add_to_cart" && customer.is_none() && cart.is_none() {
        return tool_error("sign in (bearer token) or give a cart_id");
    }
    let caller = ToolCaller {
        customer,
        cart: if customer.is_some() { None } else { cart },
    };
    match tools::call(&state.pool, caller, name, &arguments).await {
        Ok(output) => {
            let mut data = output.data;
            if let Some(cart) = output.new_cart {
                data["cart_id"] = json!(ids::encode_uuid(NodeType::Cart, cart).0);
            }
            json!({ "content": [{ "type": "text", "text": data.to_string() }], "structuredContent": data, "isError": false })
        }
        Err(ToolError::Database(error)) => {
            tracing::error!(%error, tool = name, "an MCP tool failed");
            tool_error("the shop could not do that now")
        }
        Err(error) => tool_error(&error.to_string()),
    }
}

fn tool_error(message: &str) -> Value {
    json!({ "content": [{ "type": "text", "text": message }], "isError": true })
}
