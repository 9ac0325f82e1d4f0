//! The storefront's forms as plain HTML forms: before its islands hydrate (a slow phone) or with
//! JavaScript off, the browser POSTs them here. Each runs the same GraphQL mutation the island
//! would, through the same executor and as the same caller, then answers with a redirect (303)
//! that carries the cookies the mutation set. Secrets travel in the body, never in the URL.

use async_graphql::Variables;
use axum::{
    Extension, Form,
    extract::State,
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
const SET_QUANTITY: &str = "mutation ($cartId: ID!, $variantId: ID!, $quantity: Int!) { cartLinesUpdate(input: { cartId: $cartId, lines: [{ variantId: $variantId, quantity: $quantity }] }) { userErrors { code } } }";
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

/// "Do košíku" and a cart line's quantity.
#[derive(Deserialize)]
pub(super) struct CartLine {
    #[serde(default)]
    cart: String,
    #[serde(default)]
    variant: String,
    #[serde(default)]
    quantity: Option<String>,
    /// Present when the line's "Odebrat" button sent the form.
    #[serde(default)]
    remove: Option<String>,
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

/// `POST /kosik/zmenit`: sets a line's quantity (or removes it), then shows the cart.
pub(super) async fn change_line(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CartLine>,
) -> Response {
    let ids = json!({ "cartId": form.cart, "variantId": form.variant });
    let (query, variables) = match (form.remove.is_some(), form.quantity()) {
        (false, Some(quantity)) if quantity > 0 => {
            let mut variables = ids;
            variables["quantity"] = json!(quantity);
            (SET_QUANTITY, variables)
        }
        (false, _) => return redirect("/kosik?chyba=pocet", &HeaderMap::new()),
        (true, _) => (REMOVE, ids),
    };
    let changed = |data: &Value| {
        let refused = |field: &str| data[field]["userErrors"][0].is_object();
        !refused("cartLinesUpdate") && !refused("cartLinesRemove")
    };
    run(
        &state,
        caller,
        query,
        variables,
        changed,
        Next::new("/kosik", "/kosik?chyba=pocet"),
    )
    .await
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
