//! An OpenAI-compatible chat-completions client (OpenRouter by default): one streamed turn at a
//! time, read as it arrives, tool calls assembled from their fragments, usage kept.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// Where the model is.
#[derive(Clone)]
pub struct ModelSettings {
    /// `https://openrouter.ai/api/v1` or any OpenAI-compatible base URL.
    pub base_url: String,
    /// The model, e.g. `google/gemini-2.5-flash`.
    pub model: String,
    /// The API key; without one the built-in assistant answers.
    pub api_key: Option<String>,
}

impl std::fmt::Debug for ModelSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelSettings")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "(hidden)"))
            .finish()
    }
}

/// A tool call the model asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ToolCall {
    pub id: String,
    pub name: String,
    /// JSON text, as the model wrote it.
    pub arguments: String,
}

/// One streamed turn.
#[derive(Debug, Clone, Default)]
pub(crate) struct Turn {
    pub text: String,
    pub tool_calls: Vec<ToolCall>,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub cost_usd: f64,
}

/// Why the model gave no answer.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ModelError {
    /// Unreachable, timed out, or an HTTP error before the stream.
    #[error("the model is unreachable: {0}")]
    Unreachable(String),
    /// The provider reported an error (before or during the stream).
    #[error("the model failed: {0}")]
    Failed(String),
}

/// Streams one turn.
pub(crate) async fn turn(
    http: &reqwest::Client,
    settings: &ModelSettings,
    messages: &[Value],
    tools: &[Value],
    max_tokens: u32,
) -> Result<Turn, ModelError> {
    let key = settings.api_key.as_deref().unwrap_or_default();
    let body = json!({
        "model": settings.model, "messages": messages, "tools": tools, "stream": true,
        "max_tokens": max_tokens, "stream_options": { "include_usage": true },
    });
    let mut response = http
        .post(format!(
            "{}/chat/completions",
            settings.base_url.trim_end_matches('/')
        ))
        .bearer_auth(key)
        .header("X-Title", "Lipa shop assistant")
        .json(&body)
        .send()
        .await
        .map_err(|e| ModelError::Unreachable(e.without_url().to_string()))?;
    if !response.status().is_success() {
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        return Err(ModelError::Failed(format!(
            "HTTP {status}: {}",
            text.chars().take(200).collect::<String>()
        )));
    }
    let mut stream = Stream::default();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| ModelError::Unreachable(e.without_url().to_string()))?
    {
        if stream.feed(&chunk)? {
            break;
        }
    }
    Ok(stream.finish())
}

/// The state of a stream being read: unfinished line, text, tool calls by index, usage.
#[derive(Default)]
pub(crate) struct Stream {
    pending: Vec<u8>,
    turn: Turn,
    calls: BTreeMap<u64, ToolCall>,
}

impl Stream {
    /// Reads bytes of the stream; `true` once `[DONE]` came.
    pub(crate) fn feed(&mut self, bytes: &[u8]) -> Result<bool, ModelError> {
        self.pending.extend_from_slice(bytes);
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim();
            // Comment lines (": OPENROUTER PROCESSING") and blank lines carry nothing.
            let Some(data) = line.strip_prefix("data:").map(str::trim) else {
                continue;
            };
            if data == "[DONE]" {
                return Ok(true);
            }
            let Ok(chunk) = serde_json::from_str::<Value>(data) else {
                continue;
            };
            self.chunk(&chunk)?;
        }
        Ok(false)
    }

    fn chunk(&mut self, chunk: &Value) -> Result<(), ModelError> {
        if let Some(error) = chunk.get("error") {
            let message = error["message"].as_str().unwrap_or("error").to_owned();
            return Err(ModelError::Failed(message));
        }
        if let Some(usage) = chunk.get("usage").filter(|u| u.is_object()) {
            self.turn.prompt_tokens = usage["prompt_tokens"].as_i64().unwrap_or(0);
            self.turn.completion_tokens = usage["completion_tokens"].as_i64().unwrap_or(0);
            self.turn.cost_usd = usage["cost"].as_f64().unwrap_or(0.0);
        }
        let Some(choice) = chunk["choices"].get(0) else {
            return Ok(());
        };
        if choice["finish_reason"] == "error" {
            return Err(ModelError::Failed("the stream ended with an error".into()));
        }
        let delta = &choice["delta"];
        if let Some(text) = delta["content"].as_str().filter(|t| !t.is_empty()) {
            self.turn.text.push_str(text);
        }
        for fragment in delta["tool_calls"].as_array().into_iter().flatten() {
            let index = fragment["index"].as_u64().unwrap_or(0);
            let id = fragment["id"].as_str().filter(|id| !id.is_empty());
            let known = self
                .calls
                .get(&index)
                .map(|c| c.id.as_str())
                .unwrap_or_default();
            // Some servers reuse index 0 for parallel calls: a new id starts a new call.
            let key = match id {
                Some(id) if !known.is_empty() && known != id => {
                    self.calls.keys().max().copied().unwrap_or(0) + 1
                }
                _ => index,
            };
            let call = self.calls.entry(key).or_default();
            if let Some(id) = id {
                call.id = id.to_owned();
            }
            append(call, fragment);
        }
        Ok(())
    }

    /// The turn read so far.
    pub(crate) fn finish(mut self) -> Turn {
        self.turn.tool_calls = self
            .calls
            .into_values()
            .filter(|c| !c.name.is_empty())
            .collect();
        self.turn
    }
}

fn append(call: &mut ToolCall, fragment: &Value) {
    if let Some(name) = fragment["function"]["name"].as_str() {
        call.name.push_str(name);
    }
    if let Some(arguments) = fragment["function"]["arguments"].as_str() {
        call.arguments.push_str(arguments);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_calls_come_together_from_fragments() {
        let mut stream = Stream::default();
        let body = concat!(
            ": OPENROUTER PROCESSING\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hled\"}}]}\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ám…\"}}]}\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"search_products\",\"arguments\":\"{\\\"categ\"}}]}}]}\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ory\\\":\\\"stoly\\\"}\"}}]}}]}\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"cost\":0.0001}}\n",
            "data: [DONE]\n",
        );
        // Split anywhere: lines arrive in pieces.
        let (a, b) = body.as_bytes().split_at(97);
        assert!(!stream.feed(a).unwrap());
        assert!(stream.feed(b).unwrap());
        let turn = stream.finish();
        assert_eq!(turn.text, "Hledám…");
        assert_eq!(
            turn.tool_calls,
            [ToolCall {
                id: "c1".into(),
                name: "search_products".into(),
                arguments: "{\"category\":\"stoly\"}".into()
            }]
        );
        assert_eq!((turn.prompt_tokens, turn.completion_tokens), (10, 5));
    }

    #[test]
    fn an_error_mid_stream_fails_the_turn() {
        let mut stream = Stream::default();
        let body = b"data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\ndata: {\"error\":{\"code\":502,\"message\":\"upstream\"},\"choices\":[{\"delta\":{},\"finish_reason\":\"error\"}]}\n";
        assert!(matches!(stream.feed(body), Err(ModelError::Failed(_))));
    }
}
