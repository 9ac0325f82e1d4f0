//! The two ways an operation reaches the schema.

#[cfg(feature = "ssr")]
mod server {
    use std::{future::Future, pin::Pin, sync::Arc};

    type Execute = dyn Fn(String) -> Pin<Box<dyn Future<Output = String> + Send>> + Send + Sync;

    /// Runs a GraphQL request body (JSON) on the server's schema and returns the response (JSON).
    /// The server provides one in the Leptos context of every render.
    #[derive(Clone)]
    pub struct GraphqlExecutor(Arc<Execute>);

    impl GraphqlExecutor {
        pub fn new<F>(execute: F) -> Self
        where
            F: Fn(String) -> Pin<Box<dyn Future<Output = String> + Send>> + Send + Sync + 'static,
        {
            Self(Arc::new(execute))
        }

        pub async fn execute(&self, body: String) -> String {
            (self.0)(body).await
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::GraphqlExecutor;

/// `POST /graphql` from the browser, with the shop's cookies. The browser's futures are not
/// `Send`; the wrapper lets resources hold them (the browser has one thread).
#[cfg(all(not(feature = "ssr"), feature = "hydrate"))]
pub async fn post(body: String) -> Result<String, super::ApiError> {
    use super::ApiError;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    let error = |e: JsValue| {
        ApiError::network(e.as_string().unwrap_or_else(|| "the request failed".into()))
    };
    send_wrapper::SendWrapper::new(async move {
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&JsValue::from_str(&body));
        let request = web_sys::Request::new_with_str_and_init("/graphql", &init).map_err(error)?;
        request
            .headers()
            .set("content-type", "application/json")
            .map_err(error)?;
        let window = web_sys::window().ok_or_else(|| ApiError::network("no window"))?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(error)?
            .unchecked_into();
        let text = JsFuture::from(response.text().map_err(error)?)
            .await
            .map_err(error)?;
        text.as_string()
            .ok_or_else(|| ApiError::network("the response is not text"))
    })
    .await
}
