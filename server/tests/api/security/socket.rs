//! A `graphql-transport-ws` client for the tests: a real WebSocket to the served shop.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error, Message};
use tokio_tungstenite::{WebSocketStream, client_async};

pub(super) struct Socket(WebSocketStream<TcpStream>);

impl Socket {
    /// Opens `/graphql/ws` with extra request headers (`Origin`, `Cookie`, …).
    pub(super) async fn open(addr: SocketAddr, headers: &[(&str, &str)]) -> Result<Self, Error> {
        let mut request = format!("ws://{addr}/graphql/ws").into_client_request()?;
        let request_headers = request.headers_mut();
        request_headers.insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        for (name, value) in headers {
            let name: tokio_tungstenite::tungstenite::http::HeaderName = name.parse().unwrap();
            request_headers.insert(name, value.parse().unwrap());
        }
        let stream = TcpStream::connect(addr).await?;
        let (socket, _) = client_async(request, stream).await?;
        Ok(Self(socket))
    }

    /// `connection_init` with `payload`; the server's answer (`connection_ack`), or `None`
    /// when it closed the connection.
    pub(super) async fn init(&mut self, payload: Value) -> Option<Value> {
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        self.receive().await
    }

    /// Runs `query` as operation `id`; the payload of its first result.
    pub(super) async fn run(&mut self, id: &str, query: &str) -> Value {
        self.start(id, query).await;
        loop {
            let message = self.receive().await.expect("an answer");
            if message["id"] == id {
                return message["payload"].clone();
            }
        }
    }

    /// Starts operation `id` without waiting for its results.
    pub(super) async fn start(&mut self, id: &str, query: &str) {
        let message = json!({ "id": id, "type": "subscribe", "payload": { "query": query } });
        self.send(message).await;
    }

    pub(super) async fn send(&mut self, message: Value) {
        let _ = self.0.send(Message::text(message.to_string())).await;
    }

    pub(super) async fn send_raw(&mut self, text: String) -> Result<(), Error> {
        self.0.send(Message::text(text)).await
    }

    /// The next JSON message; `None` when the connection closed (or stayed silent for 5 s).
    pub(super) async fn receive(&mut self) -> Option<Value> {
        loop {
            let next = tokio::time::timeout(Duration::from_secs(5), self.0.next()).await;
            match next.ok()?? {
                Ok(Message::Text(text)) => return serde_json::from_str(&text).ok(),
                Ok(Message::Ping(_) | Message::Pong(_)) => continue,
                Ok(_) | Err(_) => return None,
            }
        }
    }
}
