//! Accounts end to end through HTTP, against real PostgreSQL, Redis and an SMTP sink.

use crate::common;

use axum::Router;
use common::smtp_sink::SmtpSink;
use common::{app_with, data, graphql, graphql_with, test_redis};
use serde_json::{Value, json};
use server::mail::{smtp::Mailer, worker};
use sqlx::PgPool;

const REGISTER: &str = "mutation ($input: CustomerRegisterInput!) { customerRegister(input: $input) { accepted userErrors { field code message } } }";
const LOGIN: &str = "mutation ($input: CustomerLoginInput!) { customerLogin(input: $input) { accessToken refreshToken accessTokenExpiresIn customer { email role } userErrors { code message } } }";
const REFRESH: &str = "mutation ($token: String) { customerTokenRefresh(input: { refreshToken: $token }) { accessToken refreshToken userErrors { code } } }";
const ME: &str =
    "{ me { email firstName addresses { id city postalCode } defaultShippingAddress { id } } }";
const PASSWORD: &str = "Zelená louka 2026";

struct Shop {
    app: Router,
    pool: PgPool,
    sink: SmtpSink,
    mailer: Mailer,
}

impl Shop {
    async fn new(pool: PgPool) -> Self {
        let sink = SmtpSink::start().await;
        let mailer = Mailer::new(&sink.url(), "Lípa <obchod@lipa.example>").unwrap();
        let app = app_with(pool.clone(), test_redis(&pool, "redis://127.0.0.1:6379"));
        Self {
            app,
            pool,
            sink,
            mailer,
        }
    }

    /// Delivers what the outbox holds, as the background worker would.
    async fn deliver_mail(&self) {
        worker::deliver_due(&self.pool, &self.mailer).await.unwrap();
    }

    async fn register(&self, email: &str) -> Value {
        let input = json!({ "email": email, "password": PASSWORD, "firstName": "Jana", "lastName": "Nováková" });
        data(&self.app, REGISTER, json!({ "input": input })).await["customerRegister"].clone()
    }

    async fn login(&self, email: &str, password: &str) -> Value {
        let reply = graphql_with(
            &self.app,
            LOGIN,
            json!({ "input": { "email": email, "password": password } }),
            &[("x-forwarded-for", "10.0.0.1")],
        )
        .await;
        reply.json()["data"]["customerLogin"].clone()
    }

    /// Registers and signs in; returns the access and refresh tokens.
    async fn customer(&self, email: &str) -> (String, String) {
        assert_eq!(self.register(email).await["accepted"], true);
        let login = self.login(email, PASSWORD).await;
        (
            login["accessToken"].as_str().unwrap().to_owned(),
            login["refreshToken"].as_str().unwrap().to_owned(),
        )
    }

    async fn as_bearer(&self, token: &str, query: &str, variables: Value) -> Value {
        let auth = format!("Bearer {token}");
        graphql_with(&self.app, query, variables, &[("authorization", &auth)])
            .await
            .json()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn register_sign_in_and_see_yourself(pool: PgPool) {
    let shop = Shop::new(pool).await;
    let (access, _) = shop.customer("jana@example.cz").await;
    let me = shop.as_bearer(&access, ME, json!({})).await;
    assert_eq!(me["data"]["me"]["email"], "jana@example.cz");
    assert_eq!(me["data"]["me"]["firstName"], "Jana");
    // Anonymous: nobody.
    assert_eq!(data(&shop.app, ME, json!({})).await["me"], Value::Null);
    // The welcome e-mail, in Czech.
    shop.deliver_mail().await;
    let mail = shop.sink.wait_for("jana@example.cz", 1).await;
    assert!(
        mail.text().contains("děkujeme za registraci"),
        "{}",
        mail.text()
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn registration_does_not_reveal_existing_accounts(pool: PgPool) {
    let shop = Shop::new(pool).await;
    let first = shop.register("petr@example.cz").await;
    let again = shop.register("Petr@Example.cz").await;
    assert_eq!(
        first, again,
        "known and unknown e-mails get the same answer"
    );
    shop.deliver_mail().await;
    let notice = shop.sink.wait_for("petr@example.cz", 2).await;
    assert!(
        notice.text().contains("zapomenute-heslo"),
        "the owner is told: {}",
        notice.text()
    );
    // Sign-in: unknown e-mail and wrong password answer alike.
    let unknown = shop.login("nikdo@example.cz", PASSWORD).await;
    let wrong = shop.login("petr@example.cz", "Špatné heslo 999").await;
    assert_eq!(unknown["userErrors"], wrong["userErrors"]);
    assert_eq!(unknown["userErrors"][0]["code"], "INVALID_CREDENTIALS");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_registrations_get_field_errors(pool: PgPool) {
    let shop = Shop::new(pool).await;
    let input = json!({ "email": "ne-email", "password": "kratke", "firstName": " ", "lastName": "X", "phone": "12" });
    let result =
        data(&shop.app, REGISTER, json!({ "input": input })).await["customerRegister"].clone();
    assert_eq!(result["accepted"], false);
    let fields: Vec<String> = result["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"][1].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["email", "password", "firstName", "phone"]);
    let codes: Vec<&str> = result["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[1], "WEAK_PASSWORD");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM customers")
        .fetch_one(&shop.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing was created");
}

#[sqlx::test(migrations = "../migrations")]
async fn refresh_tokens_rotate_and_a_reused_one_ends_the_session(pool: PgPool) {
    let shop = Shop::new(pool).await;
    let (_, first) = shop.customer("eva@example.cz").await;
    let rotated =
        data(&shop.app, REFRESH, json!({ "token": first })).await["customerTokenRefresh"].clone();
    let second = rotated["refreshToken"].as_str().unwrap().to_owned();
    assert_ne!(second, first);
    assert!(rotated["accessToken"].is_string());
    // Present the first token again, after the grace window: theft. The family is revoked.
    sqlx::query("UPDATE refresh_tokens SET rotated_at = now() - interval '1 minute' WHERE rotated_at IS NOT NULL")
        .execute(&shop.pool)
        .await
        .unwrap();
    let reused =
        data(&shop.app, REFRESH, json!({ "token": first })).await["customerTokenRefresh"].clone();
    assert_eq!(reused["userErrors"][0]["code"], "INVALID_TOKEN");
    let after =
        data(&shop.app, REFRESH, json!({ "token": second })).await["customerTokenRefresh"].clone();
    assert_eq!(
        after["userErrors"][0]["code"], "INVALID_TOKEN",
        "the thief's and the owner's tokens both die"
    );
    let events: Vec<String> = sqlx::query_scalar("SELECT event FROM audit_log ORDER BY id")
        .fetch_all(&shop.pool)
        .await
        .unwrap();
    assert!(
        events.contains(&"REFRESH_TOKEN_REUSED".to_owned()),
        "{events:?}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn forged_or_expired_access_tokens_are_refused(pool: PgPool) {
    let shop = Shop::new(pool).await;
    let (access, _) = shop.customer("karel@example.cz").await;
    let parts: Vec<&str> = access.split('.').collect();
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.replace("CUSTOMER", "ADMIN")),
        parts[2]
    );
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    let other_key =
        server::auth::jwt::TokenKeys::new(b"someone else's secret, 32 bytes+", "lipa", "lipa-api")
            .issue(1, server::auth::Role::Admin);
    for token in [tampered, none, other_key, "garbage".to_owned()] {
        let response = shop.as_bearer(&token, ME, json!({})).await;
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{token}: {response}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn lockout_after_ten_failures_and_a_reset_e_mail_unlocks(pool: PgPool) {
    let shop = Shop::new(pool).await;
    shop.customer("lucie@example.cz").await;
    for _ in 0..10 {
        assert_eq!(
            shop.login("lucie@example.cz", "Úplně špatné heslo").await["userErrors"][0]["code"],
            "INVALID_CREDENTIALS"
        );
    }
    let locked = shop.login("lucie@example.cz", PASSWORD).await;
    assert_eq!(
        locked["userErrors"][0]["code"], "INVALID_CREDENTIALS",
        "locked: even the right password fails"
    );
    let events: Vec<String> = sqlx::query_scalar("SELECT event FROM audit_log ORDER BY id")
        .fetch_all(&shop.pool)
        .await
        .unwrap();
    assert!(events.contains(&"ACCOUNT_LOCKED".to_owned()));

    // The reset e-mail carries a single-use link.
    let request = "mutation { customerPasswordResetRequest(input: { email: \"lucie@example.cz\" }) { accepted } }";
    assert_eq!(
        data(&shop.app, request, json!({})).await["customerPasswordResetRequest"]["accepted"],
        true
    );
    let unknown = "mutation { customerPasswordResetRequest(input: { email: \"nikdo@example.cz\" }) { accepted } }";
    assert_eq!(
        data(&shop.app, unknown, json!({})).await["customerPasswordResetRequest"]["accepted"],
        true,
        "no enumeration"
    );
    shop.deliver_mail().await;
    let mail = shop.sink.wait_for("lucie@example.cz", 2).await;
    let token = mail.reset_token();
    let reset = "mutation ($token: String!, $password: String!) { customerPasswordReset(input: { token: $token, password: $password }) { accepted userErrors { code } } }";
    let new_password = "Nové heslo pro Lucii 7";
    let done = data(
        &shop.app,
        reset,
        json!({ "token": token, "password": new_password }),
    )
    .await;
    assert_eq!(done["customerPasswordReset"]["accepted"], true);
    let again = data(
        &shop.app,
        reset,
        json!({ "token": token, "password": "Ještě jiné heslo 8" }),
    )
    .await;
    assert_eq!(
        again["customerPasswordReset"]["userErrors"][0]["code"], "INVALID_TOKEN",
        "single use"
    );
    assert!(
        shop.login("lucie@example.cz", new_password).await["accessToken"].is_string(),
        "unlocked, new password works"
    );
    assert_eq!(
        shop.login("lucie@example.cz", PASSWORD).await["userErrors"][0]["code"],
        "INVALID_CREDENTIALS"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn expired_reset_tokens_do_not_work(pool: PgPool) {
    let shop = Shop::new(pool).await;
    shop.customer("ota@example.cz").await;
    data(&shop.app, "mutation { customerPasswordResetRequest(input: { email: \"ota@example.cz\" }) { accepted } }", json!({})).await;
    sqlx::query("UPDATE password_reset_tokens SET expires_at = now() - interval '1 second'")
        .execute(&shop.pool)
        .await
        .unwrap();
    shop.deliver_mail().await;
    let mail = shop.sink.wait_for("ota@example.cz", 2).await;
    let token = mail.reset_token();
    let reset = "mutation ($token: String!) { customerPasswordReset(input: { token: $token, password: \"Úplně nové heslo 1\" }) { accepted userErrors { code } } }";
    let result = data(&shop.app, reset, json!({ "token": token })).await;
    assert_eq!(
        result["customerPasswordReset"]["userErrors"][0]["code"],
        "INVALID_TOKEN"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn login_rate_limit_is_shared_by_all_instances(pool: PgPool) {
    let shop = Shop::new(pool.clone()).await;
    // A second server instance with the same database and Redis.
    let other = app_with(pool.clone(), test_redis(&pool, "redis://127.0.0.1:6379"));
    let mut limited = None;
    for attempt in 0..40 {
        let app = if attempt % 2 == 0 { &shop.app } else { &other };
        let input = json!({ "input": { "email": format!("neznamy{attempt}@example.cz"), "password": "Cokoli dlouhého 1" } });
        let reply = graphql_with(app, LOGIN, input, &[("x-forwarded-for", "192.0.2.7")])
            .await
            .json();
        if reply["errors"][0]["extensions"]["code"] == "RATE_LIMITED" {
            limited = Some((attempt, reply));
            break;
        }
    }
    let (attempt, reply) = limited.expect("the limit was reached");
    assert_eq!(
        attempt, 30,
        "30 attempts per IP in 5 minutes, counted across both instances"
    );
    assert!(
        reply["errors"][0]["extensions"]["retryAfter"]
            .as_i64()
            .unwrap()
            > 0
    );
    // Another IP is not affected.
    let input = json!({ "input": { "email": "x@example.cz", "password": "Cokoli dlouhého 1" } });
    let reply = graphql_with(&other, LOGIN, input, &[("x-forwarded-for", "192.0.2.8")])
        .await
        .json();
    assert!(reply.get("errors").is_none(), "{reply}");
}

const ADDRESS_CREATE: &str = "mutation ($input: CustomerAddressCreateInput!) { customerAddressCreate(input: $input) { address { id postalCode ico } userErrors { field code } } }";

fn address(postal_code: &str, ico: Option<&str>) -> Value {
    json!({ "firstName": "Jana", "lastName": "Nováková", "street": "Dlouhá 12", "city": "Praha", "postalCode": postal_code, "company": "Nováková s.r.o.", "ico": ico })
}

#[sqlx::test(migrations = "../migrations")]
async fn addresses_are_private_to_their_owner(pool: PgPool) {
    let shop = Shop::new(pool).await;
    let (alice, _) = shop.customer("alice@example.cz").await;
    let (bob, _) = shop.customer("bob@example.cz").await;
    let created = shop.as_bearer(&alice, ADDRESS_CREATE, json!({ "input": { "address": address("11000", Some("25596641")), "defaultShipping": true } })).await;
    let created = &created["data"]["customerAddressCreate"];
    assert_eq!(created["address"]["postalCode"], "110 00", "PSČ normalised");
    let id = created["address"]["id"].as_str().unwrap().to_owned();

    let me = shop.as_bearer(&alice, ME, json!({})).await;
    assert_eq!(me["data"]["me"]["defaultShippingAddress"]["id"], id);

    // Bob can neither change nor delete Alice's address, nor see it.
    let update = "mutation ($input: CustomerAddressUpdateInput!) { customerAddressUpdate(input: $input) { address { id } } }";
    let attempt = shop
        .as_bearer(
            &bob,
            update,
            json!({ "input": { "id": id, "address": address("60200", None) } }),
        )
        .await;
    assert_eq!(attempt["errors"][0]["extensions"]["code"], "NOT_FOUND");
    let delete =
        "mutation ($id: ID!) { customerAddressDelete(input: { id: $id }) { userErrors { code } } }";
    let attempt = shop.as_bearer(&bob, delete, json!({ "id": id })).await;
    assert_eq!(attempt["errors"][0]["extensions"]["code"], "NOT_FOUND");
    assert_eq!(
        shop.as_bearer(&bob, ME, json!({})).await["data"]["me"]["addresses"],
        json!([])
    );
    let still = shop.as_bearer(&alice, ME, json!({})).await;
    assert_eq!(
        still["data"]["me"]["addresses"][0]["postalCode"], "110 00",
        "unchanged"
    );

    // Anonymous: not at all.
    let anonymous = graphql(
        &shop.app,
        ADDRESS_CREATE,
        json!({ "input": { "address": address("11000", None) } }),
    )
    .await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_addresses_are_refused_field_by_field(pool: PgPool) {
    let shop = Shop::new(pool).await;
    let (token, _) = shop.customer("adam@example.cz").await;
    let result = shop
        .as_bearer(
            &token,
            ADDRESS_CREATE,
            json!({ "input": { "address": address("1100", Some("12345678")) } }),
        )
        .await;
    let errors = result["data"]["customerAddressCreate"]["userErrors"]
        .as_array()
        .unwrap()
        .clone();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["field"][1].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["address.ico", "address.postalCode"]);
    assert_eq!(
        shop.as_bearer(&token, ME, json!({})).await["data"]["me"]["addresses"],
        json!([])
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn admin_powers_are_for_admins(pool: PgPool) {
    let shop = Shop::new(pool.clone()).await;
    let (customer, _) = shop.customer("zakaznik@example.cz").await;
    server::accounts::service::ensure_admin(&pool, "spravce@example.cz", "Správcovské heslo 1")
        .await
        .unwrap();
    let admin = shop
        .login("spravce@example.cz", "Správcovské heslo 1")
        .await["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = "{ customers(search: \"zakaznik\") { nodes { id email role } } }";

    assert_eq!(
        graphql(&shop.app, list, json!({})).await["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(
        shop.as_bearer(&customer, list, json!({})).await["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );
    let found = shop.as_bearer(&admin, list, json!({})).await;
    let target = found["data"]["customers"]["nodes"][0].clone();
    assert_eq!(target["email"], "zakaznik@example.cz");

    let promote = "mutation ($id: ID!) { customerRoleUpdate(input: { customerId: $id, role: ADMIN }) { customer { role } } }";
    let refused = shop
        .as_bearer(&customer, promote, json!({ "id": target["id"] }))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "a customer cannot promote anyone"
    );
    let role: String =
        sqlx::query_scalar("SELECT role FROM customers WHERE email = 'zakaznik@example.cz'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(role, "CUSTOMER");
    let done = shop
        .as_bearer(&admin, promote, json!({ "id": target["id"] }))
        .await;
    assert_eq!(
        done["data"]["customerRoleUpdate"]["customer"]["role"],
        "ADMIN"
    );

    let disable = "mutation ($id: ID!) { customerDisable(input: { customerId: $id, disabled: true }) { customer { disabled } } }";
    shop.as_bearer(&admin, disable, json!({ "id": target["id"] }))
        .await;
    assert_eq!(
        shop.login("zakaznik@example.cz", PASSWORD).await["userErrors"][0]["code"],
        "INVALID_CREDENTIALS"
    );

    let log = shop
        .as_bearer(&admin, "{ auditLog(first: 50) { event } }", json!({}))
        .await;
    let events: Vec<&str> = log["data"]["auditLog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert!(
        events.contains(&"ROLE_CHANGED")
            && events.contains(&"ACCOUNT_DISABLED")
            && events.contains(&"LOGIN_SUCCEEDED"),
        "{events:?}"
    );
    assert_eq!(
        shop.as_bearer(&customer, "{ auditLog { event } }", json!({}))
            .await["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_storefront_gets_cookies_and_cross_site_mutations_are_refused(pool: PgPool) {
    let shop = Shop::new(pool.clone()).await;
    shop.register("web@example.cz").await;
    let origin = ("origin", "http://127.0.0.1:3000");
    let reply = graphql_with(
        &shop.app,
        LOGIN,
        json!({ "input": { "email": "web@example.cz", "password": PASSWORD } }),
        &[origin],
    )
    .await;
    let body = reply.json();
    assert_eq!(
        body["data"]["customerLogin"]["accessToken"],
        Value::Null,
        "no tokens for scripts to steal"
    );
    let cookies: Vec<String> = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(cookies.len(), 2);
    assert!(
        cookies
            .iter()
            .all(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax")),
        "{cookies:?}"
    );
    let jar = cookies
        .iter()
        .map(|c| c.split(';').next().unwrap())
        .collect::<Vec<_>>()
        .join("; ");

    let me = graphql_with(&shop.app, ME, json!({}), &[("cookie", &jar)])
        .await
        .json();
    assert_eq!(me["data"]["me"]["email"], "web@example.cz");

    // A mutation riding on the cookie from another site (no or foreign Origin) is refused.
    let update = "mutation { customerUpdate(input: { firstName: \"Hacker\", lastName: \"X\", marketingConsent: true }) { customer { firstName } } }";
    for headers in [
        vec![("cookie", jar.as_str())],
        vec![("cookie", jar.as_str()), ("origin", "https://evil.example")],
    ] {
        let reply = graphql_with(&shop.app, update, json!({}), &headers)
            .await
            .json();
        assert_eq!(
            reply["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{reply}"
        );
    }
    let same_site = graphql_with(&shop.app, update, json!({}), &[("cookie", &jar), origin])
        .await
        .json();
    assert_eq!(
        same_site["data"]["customerUpdate"]["customer"]["firstName"],
        "Hacker"
    );

    // An expired access cookie is refreshed transparently with the refresh cookie.
    let refresh_only = cookies
        .iter()
        .find(|c| c.starts_with("shop_rt="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let stale = format!("shop_at=expired.token.value; {refresh_only}");
    let reply = graphql_with(&shop.app, ME, json!({}), &[("cookie", &stale)]).await;
    assert_eq!(reply.json()["data"]["me"]["email"], "web@example.cz");
    let renewed: Vec<&str> = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        renewed
            .iter()
            .any(|c| c.starts_with("shop_at=") && !c.contains("Max-Age=0")),
        "{renewed:?}"
    );
    assert!(
        renewed
            .iter()
            .any(|c| c.starts_with("shop_rt=") && !c.starts_with(&refresh_only)),
        "rotated: {renewed:?}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_failing_smtp_server_delays_mail_but_never_loses_it(pool: PgPool) {
    let shop = Shop::new(pool.clone()).await;
    shop.sink.refuse(true);
    shop.register("posta@example.cz").await;
    shop.deliver_mail().await;
    let (attempts, delivered): (i32, bool) =
        sqlx::query_as("SELECT attempts, delivered_at IS NOT NULL FROM outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((attempts, delivered), (1, false), "kept for a retry");
    shop.sink.refuse(false);
    sqlx::query("UPDATE outbox SET next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();
    shop.deliver_mail().await;
    shop.sink.wait_for("posta@example.cz", 1).await;
    let delivered: bool = sqlx::query_scalar("SELECT delivered_at IS NOT NULL FROM outbox")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(delivered);
}

#[sqlx::test(migrations = "../migrations")]
async fn changing_the_password_needs_the_current_one(pool: PgPool) {
    let shop = Shop::new(pool).await;
    let (token, refresh) = shop.customer("zmena@example.cz").await;
    let change = "mutation ($current: String!, $new: String!) { customerPasswordChange(input: { currentPassword: $current, newPassword: $new }) { customer { email } userErrors { field code } } }";
    let wrong = shop
        .as_bearer(
            &token,
            change,
            json!({ "current": "Nesprávné heslo 1", "new": "Úplně nové heslo 2" }),
        )
        .await;
    assert_eq!(
        wrong["data"]["customerPasswordChange"]["userErrors"][0]["code"],
        "INVALID_CREDENTIALS"
    );
    let weak = shop
        .as_bearer(&token, change, json!({ "current": PASSWORD, "new": "abc" }))
        .await;
    assert_eq!(
        weak["data"]["customerPasswordChange"]["userErrors"][0]["code"],
        "WEAK_PASSWORD"
    );
    let done = shop
        .as_bearer(
            &token,
            change,
            json!({ "current": PASSWORD, "new": "Úplně nové heslo 2" }),
        )
        .await;
    assert_eq!(
        done["data"]["customerPasswordChange"]["customer"]["email"],
        "zmena@example.cz"
    );
    assert!(shop.login("zmena@example.cz", "Úplně nové heslo 2").await["accessToken"].is_string());
    assert_eq!(
        shop.login("zmena@example.cz", PASSWORD).await["userErrors"][0]["code"],
        "INVALID_CREDENTIALS"
    );
    let old_session = data(&shop.app, REFRESH, json!({ "token": refresh })).await;
    assert_eq!(
        old_session["customerTokenRefresh"]["userErrors"][0]["code"], "INVALID_TOKEN",
        "other sessions ended"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn production_hides_introspection_from_all_but_admins_and_secures_cookies(pool: PgPool) {
    let redis = test_redis(&pool, "redis://127.0.0.1:6379");
    let app = common::app_with_config(pool.clone(), redis, |config| {
        config.mode = server::config::Mode::Production;
        config.jwt_secret = Some("a production secret of at least 32 bytes".into());
    });
    let introspect = "{ __schema { queryType { name } } }";
    let anonymous = graphql(&app, introspect, json!({})).await;
    assert!(
        anonymous["data"]["__schema"].is_null(),
        "introspection is off: {anonymous}"
    );
    server::accounts::service::ensure_admin(&pool, "admin@example.cz", "Správcovské heslo 1")
        .await
        .unwrap();
    let login =
        json!({ "input": { "email": "admin@example.cz", "password": "Správcovské heslo 1" } });
    let admin = graphql_with(&app, LOGIN, login.clone(), &[]).await.json()["data"]["customerLogin"]
        ["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let auth = format!("Bearer {admin}");
    let reply = graphql_with(&app, introspect, json!({}), &[("authorization", &auth)])
        .await
        .json();
    assert_eq!(reply["data"]["__schema"]["queryType"]["name"], "Query");
    let browser = graphql_with(&app, LOGIN, login, &[("origin", "http://127.0.0.1:3000")]).await;
    assert!(
        browser
            .headers
            .get_all("set-cookie")
            .iter()
            .all(|c| c.to_str().unwrap().contains("; Secure"))
    );
}
