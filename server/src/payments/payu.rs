//! PayU REST API v2.1: OAuth client credentials, order creation, order status and refunds.
//! Tokens are cached until shortly before they expire; every call has a timeout.

use std::time::{Duration, Instant};

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use super::provider::{
    PaymentProvider, ProviderError, RefundRequest, RemotePayment, RemoteRefund, RemoteRefundState,
    RemoteState, StartRequest, Started,
};

/// How to reach a PayU point of sale.
#[derive(Clone)]
pub struct PayuSettings {
    /// `https://secure.snd.payu.com` (sandbox) or `https://secure.payu.com`.
    pub base_url: String,
    /// The point of sale (`merchantPosId`), also the OAuth client id.
    pub pos_id: String,
    /// The OAuth client secret.
    pub client_secret: String,
    /// The second key, which signs notifications.
    pub second_key: String,
}

impl std::fmt::Debug for PayuSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayuSettings")
            .field("base_url", &self.base_url)
            .field("pos_id", &self.pos_id)
            .finish_non_exhaustive()
    }
}

/// A PayU client.
pub struct Payu {
    settings: PayuSettings,
    http: reqwest::Client,
    token: Mutex<Option<(String, Instant)>>,
}

/// How long before its expiry a token is replaced.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);

impl Payu {
    /// A client of the point of sale in `settings`.
    pub fn new(settings: PayuSettings, http: reqwest::Client) -> Self {
        Self {
            settings,
            http,
            token: Mutex::new(None),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_url.trim_end_matches('/'))
    }

    /// A valid access token, from the cache or a new one.
    async fn token(&self) -> Result<String, ProviderError> {
        let mut cached = self.token.lock().await;
        if let Some((token, until)) = cached.as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        #[derive(Deserialize)]
        struct Token {
            access_token: String,
            expires_in: u64,
        }
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.settings.pos_id.as_str()),
            ("client_secret", self.settings.client_secret.as_str()),
        ];
        let response = self
            .http
            .post(self.url("/pl/standard/user/oauth/authorize"))
            .form(&form)
            .send()
            .await
            .map_err(unreachable)?;
        let token: Token = parse(response).await?;
        let lifetime = Duration::from_secs(token.expires_in).saturating_sub(TOKEN_MARGIN);
        *cached = Some((token.access_token.clone(), Instant::now() + lifetime));
        Ok(token.access_token)
    }

    async fn create(&self, request: &StartRequest) -> Result<Started, ProviderError> {
        let body = json!({
            "notifyUrl": request.notify_url,
            "continueUrl": request.continue_url,
            "customerIp": request.customer_ip,
            "merchantPosId": self.settings.pos_id,
            "description": request.description,
            "currencyCode": request.currency,
            "totalAmount": request.amount.to_string(),
            "extOrderId": request.external_id,
            "buyer": {
                "email": request.buyer.email,
                "firstName": request.buyer.first_name,
                "lastName": request.buyer.last_name,
                "phone": request.buyer.phone,
                "language": "cs",
            },
            "products": request.products.iter().map(|p| json!({
                "name": p.name,
                "unitPrice": p.unit_price.to_string(),
                "quantity": p.quantity.to_string(),
            })).collect::<Vec<_>>(),
        });
        let response = self
            .http
            .post(self.url("/api/v2_1/orders"))
            .bearer_auth(self.token().await?)
            .json(&body)
            .send()
            .await
            .map_err(unreachable)?;
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Created {
            redirect_uri: String,
            order_id: String,
        }
        // PayU answers a created order with 302 and a JSON body (redirects are not followed).
        let created: Created = parse(response).await?;
        Ok(Started {
            provider_id: created.order_id,
            redirect_url: created.redirect_uri,
        })
    }

    async fn read(&self, order_id: &str) -> Result<RemotePayment, ProviderError> {
        let response = self
            .http
            .get(self.url(&format!("/api/v2_1/orders/{}", segment(order_id)?)))
            .bearer_auth(self.token().await?)
            .send()
            .await
            .map_err(unreachable)?;
        #[derive(Deserialize)]
        struct Orders {
            orders: Vec<Order>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Order {
            status: String,
            total_amount: String,
            currency_code: String,
        }
        let orders: Orders = parse(response).await?;
        let order = orders
            .orders
            .into_iter()
            .next()
            .ok_or_else(|| ProviderError::Refused("no such order".into()))?;
        let state = match order.status.as_str() {
            "COMPLETED" => RemoteState::Completed,
            "CANCELED" | "REJECTED" => RemoteState::Canceled,
            _ => RemoteState::Pending,
        };
        Ok(RemotePayment {
            state,
            amount: order
                .total_amount
                .parse()
                .map_err(|_| ProviderError::Refused("totalAmount is not a number".into()))?,
            currency: order.currency_code,
            raw_status: order.status,
        })
    }

    async fn ask_refund(&self, request: &RefundRequest) -> Result<RemoteRefund, ProviderError> {
        let body = json!({ "refund": {
            "description": request.description,
            "amount": request.amount.to_string(),
            "extRefundId": request.external_id,
        }});
        let path = format!(
            "/api/v2_1/orders/{}/refunds",
            segment(&request.provider_id)?
        );
        let response = self
            .http
            .post(self.url(&path))
            .bearer_auth(self.token().await?)
            .json(&body)
            .send()
            .await
            .map_err(unreachable)?;
        let answer: Value = parse(response).await?;
        let refund = &answer["refund"];
        Ok(RemoteRefund {
            provider_id: refund["refundId"].as_str().unwrap_or_default().to_owned(),
            state: refund_state(refund["status"].as_str().unwrap_or_default()),
        })
    }

    async fn read_refund(
        &self,
        order_id: &str,
        refund_id: &str,
    ) -> Result<RemoteRefundState, ProviderError> {
        let path = format!(
            "/api/v2_1/orders/{}/refunds/{}",
            segment(order_id)?,
            segment(refund_id)?
        );
        let response = self
            .http
            .get(self.url(&path))
            .bearer_auth(self.token().await?)
            .send()
            .await
            .map_err(unreachable)?;
        let answer: Value = parse(response).await?;
        let status = answer["status"]
            .as_str()
            .or(answer["refund"]["status"].as_str())
            .unwrap_or_default();
        Ok(refund_state(status))
    }
}

impl PaymentProvider for Payu {
    fn start<'a>(
        &'a self,
        request: &'a StartRequest,
    ) -> BoxFuture<'a, Result<Started, ProviderError>> {
        self.create(request).boxed()
    }

    fn verify_notification(&self, signature: Option<&str>, body: &[u8]) -> Option<String> {
        if !super::signature::verify(signature?, body, &self.settings.second_key) {
            return None;
        }
        let notification: Value = serde_json::from_slice(body).ok()?;
        Some(notification["order"]["orderId"].as_str()?.to_owned())
    }

    fn status<'a>(
        &'a self,
        provider_id: &'a str,
    ) -> BoxFuture<'a, Result<RemotePayment, ProviderError>> {
        self.read(provider_id).boxed()
    }

    fn refund<'a>(
        &'a self,
        request: &'a RefundRequest,
    ) -> BoxFuture<'a, Result<RemoteRefund, ProviderError>> {
        self.ask_refund(request).boxed()
    }

    fn refund_status<'a>(
        &'a self,
        payment_id: &'a str,
        refund_id: &'a str,
    ) -> BoxFuture<'a, Result<RemoteRefundState, ProviderError>> {
        self.read_refund(payment_id, refund_id).boxed()
    }
}

fn refund_state(status: &str) -> RemoteRefundState {
    match status {
        "FINALIZED" => RemoteRefundState::Finalized,
        "CANCELED" => RemoteRefundState::Canceled,
        _ => RemoteRefundState::Pending,
    }
}

/// An id as one URL path segment: PayU ids are letters and digits; anything else is refused.
fn segment(id: &str) -> Result<&str, ProviderError> {
    if !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(id)
    } else {
        Err(ProviderError::Refused(format!("not a PayU id: {id:?}")))
    }
}

fn unreachable(error: reqwest::Error) -> ProviderError {
    ProviderError::Unreachable(error.to_string())
}

/// The JSON body of a successful answer (2xx, or PayU's 302 with a body).
async fn parse<T: serde::de::DeserializeOwned>(
    response: reqwest::Response,
) -> Result<T, ProviderError> {
    let status = response.status();
    let body = response.bytes().await.map_err(unreachable)?;
    if !(status.is_success() || status == reqwest::StatusCode::FOUND) {
        let text = String::from_utf8_lossy(&body);
        return Err(ProviderError::Refused(format!(
            "HTTP {status}: {}",
            text.chars().take(300).collect::<String>()
        )));
    }
    serde_json::from_slice(&body)
        .map_err(|e| ProviderError::Refused(format!("unexpected answer: {e}")))
}
