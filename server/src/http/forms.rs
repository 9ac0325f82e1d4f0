//! The storefront's forms as plain HTML forms: before its islands hydrate (a slow phone) or with
//! JavaScript off, the browser POSTs them here. Each runs the same GraphQL mutation the island
//! would, through the same executor and as the same caller, then answers with a redirect (303)
//! that carries the cookies the mutation set. Secrets travel in the body, never in the URL.

use async_graphql::Variables;
use axum::{
    Extension, Form,
    body::Bytes,
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::graphql::Caller;

const LOGIN: &str =
    "mutation ($input: CustomerLoginInput!) { customerLogin(input: $input) { customer { id } } }";
const REGISTER: &str =
    "mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) { accepted } }";
const ADD: &str = "mutation ($lines: [CartLineInput!]!) { cartCreate(input: { lines: $lines }) { cart { id } userErrors { code } } }";
const SET_QUANTITIES: &str =
    "mutation ($input: CartLinesInput!) { cartLinesUpdate(input: $input) { userErrors { code } } }";
const REMOVE: &str = "mutation ($cartId: ID!, $variantId: ID!) { cartLinesRemove(input: { cartId: $cartId, variantIds: [$variantId] }) { userErrors { code } } }";

/// The sign-in form.
#[derive(Deserialize)]
pub(super) struct SignIn {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /ucet/prihlasit`: signs in; back to the form with a message when refused.
pub(super) async fn sign_in(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<SignIn>,
) -> Response {
    let input = json!({ "input": { "email": form.email, "password": form.password } });
    let signed_in = |data: &Value| data["customerLogin"]["customer"].is_object();
    let next = Next::new("/ucet", "/prihlaseni?chyba=prihlaseni");
    run(&state, caller, LOGIN, input, signed_in, next).await
}

/// The registration form.
#[derive(Deserialize)]
pub(super) struct Register {
    #[serde(default, rename = "firstName")]
    first_name: String,
    #[serde(default, rename = "lastName")]
    last_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /ucet/registrovat`: registers; on to sign-in, or back with a message.
pub(super) async fn register(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<Register>,
) -> Response {
    let input = json!({ "input": {
        "email": form.email, "password": form.password,
        "firstName": form.first_name, "lastName": form.last_name,
    } });
    let accepted = |data: &Value| data["customerRegister"]["accepted"] == true;
    let next = Next::new("/prihlaseni?registrace=hotovo", "/registrace?chyba=udaje");
    run(&state, caller, REGISTER, input, accepted, next).await
}

/// "Do košíku": a variant and how many.
#[derive(Deserialize)]
pub(super) struct CartLine {
    #[serde(default)]
    variant: String,
    #[serde(default)]
    quantity: Option<String>,
}

impl CartLine {
    /// The quantity as typed; anything but a whole number counts as none.
    fn quantity(&self) -> Option<i64> {
        self.quantity.as_deref().and_then(|q| q.trim().parse().ok())
    }
}

/// `POST /kosik/pridat`: adds to the visitor's cart, then shows the cart.
pub(super) async fn add_to_cart(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CartLine>,
) -> Response {
    let quantity = form.quantity().unwrap_or(1);
    let lines = json!({ "lines": [{ "variantId": form.variant, "quantity": quantity }] });
    let added = |data: &Value| data["cartCreate"]["cart"].is_object();
    run(
        &state,
        caller,
        ADD,
        lines,
        added,
        Next::new("/kosik", "/kosik?chyba=pridani"),
    )
    .await
}

/// `POST /kosik/zmenit`: the cart page's form. It carries every line's quantity (`variant` and
/// `quantity` in pairs), so a quantity typed without pressing "Přepočítat" is saved by whichever
/// button sends it; an "Odebrat" button names its line (`remove`). Back to the cart, or on to
/// the checkout when "Pokračovat k objednávce" sent it (`next=pokladna`).
pub(super) async fn save_cart(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let values = |name: &'static str| {
        fields
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let cart = values("cart").next().unwrap_or_default();
    let refused = "/kosik?chyba=pocet";
    if let Some(variant) = values("remove").next() {
        let ids = json!({ "cartId": cart, "variantId": variant });
        let removed = |data: &Value| !data["cartLinesRemove"]["userErrors"][0].is_object();
        return run(
            &state,
            caller,
            REMOVE,
            ids,
            removed,
            Next::new("/kosik", refused),
        )
        .await;
    }
    let lines: Option<Vec<Value>> = values("variant")
        .zip(values("quantity"))
        .map(|(variant, quantity)| {
            let quantity = quantity.trim().parse::<i64>().ok().filter(|q| *q > 0)?;
            Some(json!({ "variantId": variant, "quantity": quantity }))
        })
        .collect();
    let Some(lines) = lines.filter(|lines| !lines.is_empty()) else {
        return redirect(refused, &HeaderMap::new());
    };
    let done = match values("next").next() {
        Some("pokladna") => "/pokladna/udaje",
        _ => "/kosik",
    };
    let input = json!({ "input": { "cartId": cart, "lines": lines } });
    let saved = |data: &Value| !data["cartLinesUpdate"]["userErrors"][0].is_object();
    run(
        &state,
        caller,
        SET_QUANTITIES,
        input,
        saved,
        Next::new(done, refused),
    )
    .await
}

const WATCH_CONFIRM: &str =
    "mutation ($input: WatchTokenInput!) { watchConfirm(input: $input) { watch { id } } }";
const WATCH_CANCEL: &str =
    "mutation ($token: String!) { watchCancel(token: $token) { cancelled } }";

/// A watchdog link's secret, from the page's form (or, for one-click unsubscribe, the URL).
#[derive(Deserialize)]
pub(super) struct WatchLink {
    #[serde(default)]
    klic: Option<String>,
}

/// `POST /hlidaci-pes/potvrzeni`: starts a guest's watch (the confirmation page's button).
pub(super) async fn watch_confirm(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<WatchLink>,
) -> Response {
    let input = json!({ "input": { "token": form.klic.unwrap_or_default() } });
    let confirmed = |data: &Value| data["watchConfirm"]["watch"].is_object();
    let next = Next::new("/hlidaci-pes?stav=potvrzeno", "/hlidaci-pes?chyba=odkaz");
    run(&state, caller, WATCH_CONFIRM, input, confirmed, next).await
}

/// `POST /hlidaci-pes/zruseni`: ends a watch. The cancel page's button posts here, and so do
/// mail programs' one-click unsubscribe (RFC 8058: `?klic=` in the URL, `List-Unsubscribe=
/// One-Click` in the body, from no page of ours): the secret alone authorises it, so the
/// same-origin rule of the other forms does not apply.
pub(super) async fn watch_cancel(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<WatchLink>,
    body: Bytes,
) -> Response {
    let from_form: Option<String> = serde_urlencoded::from_bytes::<WatchLink>(&body)
        .ok()
        .and_then(|form| form.klic);
    let token = from_form.or(query.klic).unwrap_or_default();
    let request = async_graphql::Request::new(WATCH_CANCEL)
        .variables(Variables::from_json(json!({ "token": token })));
    let response = state.executor.execute(caller, request).await;
    let data = response.data.into_json().unwrap_or(Value::Null);
    let location = if data["watchCancel"]["cancelled"] == true {
        "/hlidaci-pes?stav=zruseno"
    } else {
        "/hlidaci-pes?chyba=odkaz"
    };
    redirect(location, &HeaderMap::new())
}

/// Where a form leads: to `done` when its mutation succeeded, back with a message otherwise.
struct Next {
    done: &'static str,
    refused: &'static str,
}

impl Next {
    fn new(done: &'static str, refused: &'static str) -> Self {
        Self { done, refused }
    }
}

/// Runs `query` for the caller and redirects as `next` says, by whether `succeeded` holds for
/// its data. Only the shop's own pages may post these forms (their `Origin`): another site's
/// form gets 403.
async fn run(
    state: &AppState,
    caller: Caller,
    query: &str,
    variables: Value,
    succeeded: impl FnOnce(&Value) -> bool,
    next: Next,
) -> Response {
    if !caller.info.same_origin_browser {
        return (
            StatusCode::FORBIDDEN,
            "Formuláře obchodu se odesílají z jeho stránek.",
        )
            .into_response();
    }
    let request = async_graphql::Request::new(query).variables(Variables::from_json(variables));
    let response = state.executor.execute(caller, request).await;
    let data = response.data.clone().into_json().unwrap_or(Value::Null);
    // A rate limit or another refusal of the whole request counts as refused too.
    let location = if response.errors.is_empty() && succeeded(&data) {
        next.done
    } else {
        next.refused
    };
    redirect(location, &response.http_headers)
}

/// 303 to `location` with the `Set-Cookie` headers of the mutation.
fn redirect(location: &'static str, headers: &HeaderMap) -> Response {
    let mut answer = StatusCode::SEE_OTHER.into_response();
    answer
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static(location));
    for cookie in headers.get_all(header::SET_COOKIE) {
        answer
            .headers_mut()
            .append(header::SET_COOKIE, cookie.clone());
    }
    answer
}
