//! GraphQL subscriptions over the shop's WebSocket (`graphql-transport-ws`), for islands: the
//! server pushes each result, whichever instance produced it.

/// Opens a socket for one subscription `Q`: `on_ready` once it is asked for, `on_data` with
/// every result, `on_end` when the server completes it. The socket lives as long as the page or
/// until the subscription completes.
#[cfg(feature = "hydrate")]
pub fn subscribe<Q>(
    variables: Q::Variables,
    on_ready: impl Fn() + 'static,
    on_data: impl Fn(Q::ResponseData) + 'static,
    on_end: impl Fn() + 'static,
) where
    Q: graphql_client::GraphQLQuery,
    Q::ResponseData: 'static,
{
    use serde::Deserialize;
    use wasm_bindgen::{JsCast, closure::Closure};
    use web_sys::{MessageEvent, WebSocket};

    /// A `graphql-transport-ws` message from the server (only the parts used here).
    #[derive(Deserialize)]
    struct Message<T> {
        #[serde(rename = "type")]
        kind: String,
        payload: Option<graphql_client::Response<T>>,
    }

    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let scheme = match location.protocol().as_deref() {
        Ok("https:") => "wss",
        _ => "ws",
    };
    let url = format!(
        "{scheme}://{}/graphql/ws",
        location.host().unwrap_or_default()
    );
    let Ok(socket) = WebSocket::new_with_str(&url, "graphql-transport-ws") else {
        return;
    };
    let query = Q::build_query(variables);
    let subscribe = format!(
        r#"{{"id":"live","type":"subscribe","payload":{}}}"#,
        serde_json::to_string(&query).unwrap_or_default()
    );
    let sender = socket.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |message: MessageEvent| {
        let Some(text) = message.data().as_string() else {
            return;
        };
        let Ok(message) = serde_json::from_str::<Message<Q::ResponseData>>(&text) else {
            return;
        };
        match message.kind.as_str() {
            "connection_ack" if sender.send_with_str(&subscribe).is_ok() => on_ready(),
            "ping" => {
                let _ = sender.send_with_str(r#"{"type":"pong"}"#);
            }
            "next" => {
                if let Some(data) = message.payload.and_then(|p| p.data) {
                    on_data(data);
                }
            }
            "complete" | "error" => {
                on_end();
                let _ = sender.close();
            }
            _ => {}
        }
    });
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let opener = socket.clone();
    let on_open = Closure::<dyn Fn()>::new(move || {
        let _ = opener.send_with_str(r#"{"type":"connection_init","payload":{}}"#);
    });
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    // The handlers must outlive this function: they belong to the socket.
    on_message.forget();
    on_open.forget();
}
