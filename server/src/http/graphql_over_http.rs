//! GraphQL over HTTP, by the letter of the specification: which media type answers, how `GET`
//! and `POST` requests carry their parameters, and which status a refused request gets.
//!
//! An HTTP request that is no GraphQL request (not JSON, parameters of the wrong type) is a 400
//! (415 for another media type). A GraphQL request that does not parse, validate or coerce its
//! variables gets, with `application/graphql-response+json`, 400 and no `data`; with
//! `application/json` (also for `*/*` or no `Accept`) 200 and the errors, as older clients
//! expect.

use async_graphql::http::MultipartOptions;
use async_graphql::{ParseRequestError, Response, ServerError, Variables};
use axum::{
    body::Bytes,
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response as HttpResponse},
};
use serde_json::{Map, Value};

use crate::error::{ErrorCode, api_error};
use crate::graphql::json::response_to_json;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type of the answer, from the request's `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MediaType {
    /// `application/graphql-response+json`: request errors are 4xx.
    GraphqlResponse,
    /// `application/json`, also for `*/*` or no `Accept`: always 200.
    Json,
}

impl MediaType {
    /// What the client accepts; the GraphQL media type wins when it is listed.
    pub(super) fn accepted(headers: &HeaderMap) -> Self {
        let accept = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        if accept.into_iter().any(|t| t == GRAPHQL_RESPONSE_JSON) {
            Self::GraphqlResponse
        } else {
            Self::Json
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponse => GRAPHQL_RESPONSE_JSON,
            Self::Json => JSON,
        }
    }
}

/// Why a request cannot run at all.
#[derive(Debug)]
pub(super) struct Refused {
    status: StatusCode,
    message: String,
}

impl Refused {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// A request whose parameters are malformed.
    fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

/// The GraphQL request of an HTTP request: `GET` parameters in the query string (`variables`
/// and `extensions` as JSON text), `POST` a JSON object with `application/json` in UTF-8. The
/// parameters, before [`request_from`] makes them a request.
pub(super) fn params(
    method: &Method,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &Bytes,
) -> Result<Map<String, Value>, Refused> {
    if method == Method::GET {
        query_params(query.unwrap_or(""))
    } else {
        body_params(headers, body)
    }
}

/// A `multipart/form-data` request by the GraphQL multipart request specification, with at
/// most 5 files of at most `max_file` bytes.
pub(super) async fn parse_multipart(
    headers: &HeaderMap,
    body: &Bytes,
    max_file: usize,
) -> Result<async_graphql::Request, Refused> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
        .ok_or_else(|| {
            Refused::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send files as multipart/form-data (GraphQL multipart request).",
            )
        })?;
    let options = MultipartOptions::default()
        .max_file_size(max_file)
        .max_num_files(5);
    async_graphql::http::receive_body(Some(content_type), &body[..], options)
        .await
        .map_err(|error| match error {
            ParseRequestError::PayloadTooLarge => Refused::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("A file is larger than {} MB.", max_file / 1_000_000),
            ),
            other => Refused::invalid(format!("The multipart request is malformed: {other}")),
        })
}

fn query_params(query: &str) -> Result<Map<String, Value>, Refused> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|_| Refused::invalid("The query string is malformed."))?;
    let mut params = Map::new();
    for (name, value) in pairs {
        let value = match name.as_str() {
            "variables" | "extensions" => serde_json::from_str(&value)
                .map_err(|_| Refused::invalid(format!("`{name}` must be a JSON object.")))?,
            _ => Value::String(value),
        };
        params.insert(name, value);
    }
    Ok(params)
}

fn body_params(headers: &HeaderMap, body: &Bytes) -> Result<Map<String, Value>, Refused> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let Some(content_type) = content_type else {
        return Err(Refused::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the request as application/json.",
        ));
    };
    let mut parts = content_type.split(';').map(str::trim);
    let utf8 = parts.clone().skip(1).all(|p| {
        p.strip_prefix("charset=")
            .is_none_or(|charset| charset.trim_matches('"') == "utf-8")
    });
    if parts.next() != Some(JSON) || !utf8 {
        return Err(Refused::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the request as application/json in UTF-8.",
        ));
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(params)) => Ok(params),
        Ok(_) => Err(Refused::invalid(
            "The body must be one JSON object with `query` (batches are not accepted).",
        )),
        Err(_) => Err(Refused::invalid("The body is not JSON.")),
    }
}

/// The request the parameters describe.
pub(super) fn request_from(
    mut params: Map<String, Value>,
) -> Result<async_graphql::Request, Refused> {
    let Some(Value::String(query)) = params.remove("query") else {
        return Err(Refused::invalid(
            "`query` must be a string with the document.",
        ));
    };
    let mut request = async_graphql::Request::new(query);
    match params.remove("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name),
        Some(_) => return Err(Refused::invalid("`operationName` must be a string.")),
    }
    match params.remove("variables") {
        None | Some(Value::Null) => {}
        Some(variables @ Value::Object(_)) => {
            request = request.variables(Variables::from_json(variables));
        }
        Some(_) => return Err(Refused::invalid("`variables` must be an object.")),
    }
    match params.remove("extensions") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => return Err(Refused::invalid("`extensions` must be an object.")),
    }
    Ok(request)
}

/// The answer to an HTTP request that is not a GraphQL request at all (no JSON, parameters of
/// the wrong type, a media type other than JSON): a 4xx whatever the client accepts.
pub(super) fn refused(media: MediaType, refusal: Refused) -> HttpResponse {
    let error =
        api_error(ErrorCode::BadUserInput, refusal.message).into_server_error(Default::default());
    render(
        media,
        refusal.status,
        &Response::from_errors(vec![error]),
        true,
    )
}

/// The answer to a request that was given to the executor. A response with errors and no data
/// whose errors concern the request itself (parsing, validation, variables: no path) is a
/// request error: 400 without `data` for the GraphQL media type.
pub(super) fn respond(
    media: MediaType,
    response: Response,
    refusal_status: Option<StatusCode>,
) -> HttpResponse {
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response
            .errors
            .iter()
            .all(|e: &ServerError| e.path.is_empty());
    let status = match (media, refusal_status) {
        (MediaType::GraphqlResponse, Some(status)) => status,
        (MediaType::GraphqlResponse, None) if request_error => StatusCode::BAD_REQUEST,
        (MediaType::Json, Some(status)) if status == StatusCode::METHOD_NOT_ALLOWED => status,
        _ => StatusCode::OK,
    };
    render(media, status, &response, request_error)
}

fn render(
    media: MediaType,
    status: StatusCode,
    response: &Response,
    without_data: bool,
) -> HttpResponse {
    let body = if without_data {
        serde_json::to_string(&serde_json::json!({ "errors": response.errors }))
            .unwrap_or_else(|_| r#"{"errors":[{"message":"unserialisable response"}]}"#.into())
    } else {
        response_to_json(response)
    };
    let mut answer = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(media.content_type()),
        )],
        body,
    )
        .into_response();
    for (name, value) in response.http_headers.iter() {
        answer.headers_mut().append(name, value.clone());
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        answer
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(content_type: Option<&str>, body: &str) -> Result<async_graphql::Request, Refused> {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type {
            headers.insert(header::CONTENT_TYPE, content_type.parse().unwrap());
        }
        params(&Method::POST, &headers, None, &Bytes::from(body.to_owned())).and_then(request_from)
    }

    #[test]
    fn posts_need_a_json_object_with_a_query() {
        assert!(post(Some("application/json"), r#"{"query":"{ a }"}"#).is_ok());
        assert!(
            post(
                Some("application/json; charset=utf-8"),
                r#"{"query":"{ a }"}"#
            )
            .is_ok()
        );
        let status = |r: Result<_, Refused>| r.err().map(|e| e.status);
        assert_eq!(
            status(post(None, "{}")),
            Some(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        assert_eq!(
            status(post(Some("application/json; charset=latin1"), "{}")),
            Some(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        for body in [
            "",
            "{",
            "[]",
            r#"{"query":5}"#,
            r#"{"qeury":"{ a }"}"#,
            r#"{"query":"{ a }","variables":"x"}"#,
            r#"{"query":"{ a }","operationName":0}"#,
            r#"{"query":"{ a }","extensions":[]}"#,
        ] {
            assert_eq!(
                status(post(Some("application/json"), body)),
                Some(StatusCode::BAD_REQUEST),
                "{body}"
            );
        }
    }

    #[test]
    fn the_graphql_media_type_wins_when_listed() {
        let mut headers = HeaderMap::new();
        assert_eq!(MediaType::accepted(&headers), MediaType::Json);
        headers.insert(
            header::ACCEPT,
            "application/json, application/graphql-response+json;q=0.9"
                .parse()
                .unwrap(),
        );
        assert_eq!(MediaType::accepted(&headers), MediaType::GraphqlResponse);
        headers.insert(header::ACCEPT, "*/*".parse().unwrap());
        assert_eq!(MediaType::accepted(&headers), MediaType::Json);
    }
}
