//! Notifications from payment gateways. The body is read raw: the signature is checked over the
//! exact bytes before anything in them is believed, and the gateway's own API is then asked for
//! the payment's state. PayU retries anything but 200, so only what a retry could fix gets
//! another status.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

use crate::AppState;
use crate::payments::{PaymentError, service};

/// `POST /webhooks/payu`.
pub(super) async fn payu(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let signature = ["openpayu-signature", "x-openpayu-signature"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok());
    match service::on_notification(&state.pool, &state.payments, signature, &body).await {
        Ok(change) => {
            if let Some(change) = change {
                state.live.publish(change).await;
            }
            StatusCode::OK
        }
        Err(PaymentError::InvalidSignature) => {
            tracing::warn!(
                bytes = body.len(),
                "refused a PayU notification with a bad signature"
            );
            StatusCode::UNAUTHORIZED
        }
        Err(PaymentError::UnknownPayment(id)) => {
            tracing::warn!(provider_id = %id, "a PayU notification about a payment this shop never started");
            StatusCode::OK
        }
        Err(error @ PaymentError::GatewayUnavailable(_)) => {
            tracing::warn!(%error, "could not confirm a PayU notification; PayU will retry");
            StatusCode::SERVICE_UNAVAILABLE
        }
        Err(error) => {
            tracing::error!(%error, "a PayU notification failed; PayU will retry");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}
