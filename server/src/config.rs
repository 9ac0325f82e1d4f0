//! Configuration, read once at start-up from environment variables (and `.env` when present).

use std::{env, net::SocketAddr, str::FromStr, time::Duration};

/// Whether the shop runs for development (readable logs, open introspection) or production.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Readable logs, open introspection, a generated signing key.
    Development,
    /// JSON logs, no introspection, secrets required.
    Production,
}

/// Everything the server needs to know about its environment. See `.env.example`. Its `Debug`
/// shows no secret (signing key, passwords in URLs, the admin's password).
#[derive(Clone)]
pub struct Config {
    /// Development or production.
    pub mode: Mode,
    /// Where the server listens.
    pub listen_addr: SocketAddr,
    /// The shop's public origin, e.g. `https://shop.example.cz` (canonical links, CSRF checks).
    pub public_url: String,
    /// PostgreSQL.
    pub database_url: String,
    /// Connections of the serving pool.
    pub database_max_connections: u32,
    /// The longest one SQL statement of a request may run before PostgreSQL cancels it.
    pub database_statement_timeout: Duration,
    /// Redis, shared by every instance.
    pub redis_url: String,
    /// Prefix of every Redis key: instances of one shop share it, other shops must not.
    pub redis_key_prefix: String,
    /// Load the demo catalog into an empty database at start-up.
    pub seed_demo_data: bool,
    /// Depth, complexity and size limits of GraphQL requests.
    pub graphql_limits: GraphqlLimits,
    /// The longest a request may take.
    pub request_timeout: Duration,
    /// Secret that signs access tokens (HS256); at least 32 bytes, required in production. In
    /// development an unset secret is generated once and kept in the database (see
    /// [`crate::auth::secret`]).
    pub jwt_secret: Option<String>,
    /// SMTP relay for e-mail, e.g. `smtp://127.0.0.1:1025` or `smtp://user:pass@host:587`.
    pub smtp_url: String,
    /// Sender of the shop's e-mail.
    pub mail_from: String,
    /// When both are set, start-up makes sure this admin account exists.
    pub admin_email: Option<String>,
    /// The password of `admin_email`.
    pub admin_password: Option<String>,
    /// Where the built storefront lives (`pkg/shop.js`, `pkg/shop_bg.wasm`, `graphiql/`, …).
    pub site_root: String,
    /// Proxies in front of the shop that append to `X-Forwarded-For` (0: none, the peer is the
    /// client). The client is the entry this many places from the right: entries further left
    /// were written by the client and prove nothing.
    pub trusted_proxy_hops: usize,
    /// The payment gateway, the shop's bank account and payment windows.
    pub payments: PaymentSettings,
    /// Pause between rounds of the background jobs (`JOBS_INTERVAL_SECS`).
    pub jobs_interval: Duration,
    /// `MEDIA_DIR`: where uploaded and imported files are kept (shared by every instance).
    pub media_dir: std::path::PathBuf,
    /// `UPLOAD_MAX_MB`: the largest GraphQL multipart request (`POST /graphql/upload`).
    pub upload_max_bytes: usize,
    /// `IMPORT_MAX_MB`: the largest supplier file fetched from a feed URL.
    pub import_max_bytes: u64,
    /// `SELLER_NAME`, `SELLER_STREET`, `SELLER_CITY`, `SELLER_ICO`, `SELLER_DIC`,
    /// `SELLER_REGISTER`, `SHOP_EMAIL`, `SHOP_PHONE`: the seller on tax documents and the
    /// contact page.
    pub seller: crate::shop::Seller,
    /// `PACKETA_API_KEY`, `PACKETA_FEED_URL`, `PACKETA_SYNC_HOURS`, `PACKETA_FEED_MAX_MB`:
    /// Zásilkovna's pickup point feed (not read without a key).
    pub pickup_point_feed: crate::pickup_points::FeedSettings,
    /// `INVOICE_FONT_DIR`: where DejaVu Sans (regular and bold) is, for tax documents' PDFs.
    pub invoice_font_dir: std::path::PathBuf,
    /// The assistant's language model (`ASSISTANT_API_URL`, `ASSISTANT_MODEL`,
    /// `ASSISTANT_API_KEY`); without a key the built-in assistant answers.
    pub assistant: crate::assistant::llm::ModelSettings,
}

/// How the shop takes payments. The defaults are PayU's public sandbox point of sale, so a
/// development shop can show a real sandbox payment; production sets its own.
#[derive(Clone)]
pub struct PaymentSettings {
    /// PayU (`PAYU_BASE_URL`, `PAYU_POS_ID`, `PAYU_CLIENT_SECRET`, `PAYU_SECOND_KEY`).
    pub payu: crate::payments::payu::PayuSettings,
    /// The shop's account in Czech form, `[prefix-]number/bank` (`SHOP_BANK_ACCOUNT`).
    pub bank_account: String,
    /// Fio banka's API (`FIO_API_URL`).
    pub fio_api_url: String,
    /// The token of the shop's Fio account (`FIO_TOKEN`); no bank matching without one.
    pub fio_token: Option<String>,
    /// The shortest time between two calls to the bank, across instances
    /// (`FIO_MIN_INTERVAL_SECS`; Fio allows one call per 30 s).
    pub fio_min_interval: Duration,
    /// How long unpaid orders wait (`CARD_PAYMENT_WINDOW_MINUTES`,
    /// `BANK_TRANSFER_WINDOW_DAYS`).
    pub windows: crate::delivery::PaymentWindows,
}

impl std::fmt::Debug for PaymentSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentSettings")
            .field("payu", &self.payu)
            .field("bank_account", &self.bank_account)
            .field("fio_api_url", &self.fio_api_url)
            .field("fio_token", &self.fio_token.as_ref().map(|_| "(hidden)"))
            .field("fio_min_interval", &self.fio_min_interval)
            .field("windows", &self.windows)
            .finish()
    }
}

/// Limits that protect the GraphQL endpoint from expensive queries.
#[derive(Debug, Clone, Copy)]
pub struct GraphqlLimits {
    /// Deepest nesting of a query.
    pub max_depth: usize,
    /// Highest complexity (fields, weighted by page sizes).
    pub max_complexity: usize,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
}

/// A variable that is set but cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("environment variable {name}={value:?} is invalid: {reason}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    reason: String,
}

impl Config {
    /// The settings of tax documents.
    pub fn invoice_settings(&self) -> crate::invoices::InvoiceSettings {
        crate::invoices::InvoiceSettings::new(
            self.seller.clone(),
            self.invoice_font_dir.clone(),
            &self.public_url,
        )
    }

    /// Reads the configuration; unset variables take defaults that work on a developer machine.
    pub fn from_environment() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        let mode = match var("APP_ENV", "development").as_str() {
            "development" => Mode::Development,
            "production" => Mode::Production,
            other => {
                return Err(invalid(
                    "APP_ENV",
                    other,
                    "expected development or production",
                ));
            }
        };
        let database_url = var("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop");
        Ok(Self {
            mode,
            listen_addr: parse("LISTEN_ADDR", "127.0.0.1:3000")?,
            public_url: var("PUBLIC_URL", "http://127.0.0.1:3000")
                .trim_end_matches('/')
                .to_owned(),
            database_url: database_url.clone(),
            database_max_connections: parse(
                "DATABASE_MAX_CONNECTIONS",
                &default_pool_size().to_string(),
            )?,
            database_statement_timeout: Duration::from_millis(parse(
                "DATABASE_STATEMENT_TIMEOUT_MS",
                "5000",
            )?),
            redis_url: var("REDIS_URL", "redis://127.0.0.1:6379"),
            redis_key_prefix: env::var("REDIS_KEY_PREFIX")
                .unwrap_or_else(|_| format!("shop:{}", database_name(&database_url))),
            seed_demo_data: parse("SEED_DEMO_DATA", "true")?,
            graphql_limits: GraphqlLimits {
                max_depth: parse("GRAPHQL_MAX_DEPTH", "15")?,
                max_complexity: parse("GRAPHQL_MAX_COMPLEXITY", "20000")?,
                max_body_bytes: parse("GRAPHQL_MAX_BODY_BYTES", "65536")?,
            },
            request_timeout: Duration::from_secs(parse("REQUEST_TIMEOUT_SECS", "30")?),
            jwt_secret: jwt_secret(mode)?,
            smtp_url: var("SMTP_URL", "smtp://127.0.0.1:1025"),
            mail_from: var("MAIL_FROM", "Lípa <obchod@lipa.example>"),
            admin_email: env::var("ADMIN_EMAIL").ok().filter(|v| !v.is_empty()),
            admin_password: env::var("ADMIN_PASSWORD").ok().filter(|v| !v.is_empty()),
            trusted_proxy_hops: parse("TRUSTED_PROXY_HOPS", "0")?,
            site_root: var("LEPTOS_SITE_ROOT", "target/site"),
            payments: payment_settings()?,
            jobs_interval: Duration::from_secs(parse("JOBS_INTERVAL_SECS", "30")?),
            media_dir: var("MEDIA_DIR", "data/media").into(),
            upload_max_bytes: parse::<usize>("UPLOAD_MAX_MB", "50")?.saturating_mul(1_000_000),
            import_max_bytes: parse::<u64>("IMPORT_MAX_MB", "500")?.saturating_mul(1_000_000),
            seller: crate::shop::Seller {
                name: var("SELLER_NAME", "Lípa s.r.o."),
                street: var("SELLER_STREET", "Lipová 1"),
                city: var("SELLER_CITY", "110 00 Praha 1"),
                ico: var("SELLER_ICO", "12345678"),
                dic: Some(var("SELLER_DIC", "CZ12345678")).filter(|d| !d.is_empty()),
                register: Some(var(
                    "SELLER_REGISTER",
                    "Zapsaná v obchodním rejstříku vedeném Městským soudem v Praze, oddíl C, vložka 123456",
                ))
                .filter(|r| !r.is_empty()),
                email: var("SHOP_EMAIL", "obchod@lipa.example.cz"),
                phone: var("SHOP_PHONE", "+420 800 123 456"),
            },
            pickup_point_feed: crate::pickup_points::FeedSettings {
                url: env::var("PACKETA_API_KEY")
                    .ok()
                    .filter(|key| !key.is_empty())
                    .map(|key| {
                        var(
                            "PACKETA_FEED_URL",
                            "https://pickup-point.api.packeta.com/v5/{key}/branch.json?lang=cs",
                        )
                        .replace("{key}", &key)
                    }),
                every: Duration::from_secs(parse::<u64>("PACKETA_SYNC_HOURS", "24")?.max(1) * 3600),
                max_bytes: parse::<u64>("PACKETA_FEED_MAX_MB", "200")?.saturating_mul(1_000_000),
            },
            invoice_font_dir: var("INVOICE_FONT_DIR", "/usr/share/fonts/truetype/dejavu").into(),
            assistant: crate::assistant::llm::ModelSettings {
                base_url: var("ASSISTANT_API_URL", "https://openrouter.ai/api/v1"),
                model: var("ASSISTANT_MODEL", "google/gemini-2.5-flash"),
                api_key: env::var("ASSISTANT_API_KEY").ok().filter(|k| !k.is_empty()),
            },
        })
    }
}

/// `JWT_SECRET`: none built in. Production refuses to start without one; development generates
/// one on first start (kept in the database so restarts and other instances keep sessions).
fn jwt_secret(mode: Mode) -> Result<Option<String>, ConfigError> {
    match env::var("JWT_SECRET").ok().filter(|s| !s.is_empty()) {
        Some(secret) if secret.len() < 32 => Err(invalid(
            "JWT_SECRET",
            "(hidden)",
            "must be at least 32 bytes",
        )),
        Some(secret) => Ok(Some(secret)),
        None if mode == Mode::Production => Err(invalid(
            "JWT_SECRET",
            "(unset)",
            "production needs a secret of its own (at least 32 random bytes)",
        )),
        None => Ok(None),
    }
}

/// Payment settings; the PayU defaults are its public sandbox point of sale.
fn payment_settings() -> Result<PaymentSettings, ConfigError> {
    let bank_account = var("SHOP_BANK_ACCOUNT", "2001234567/2010");
    if crate::qr_platba::spayd::CzechAccount::parse(&bank_account).is_none() {
        return Err(invalid(
            "SHOP_BANK_ACCOUNT",
            &bank_account,
            "a Czech account: [prefix-]number/bank",
        ));
    }
    let minutes: u64 = parse("CARD_PAYMENT_WINDOW_MINUTES", "30")?;
    let days: u64 = parse("BANK_TRANSFER_WINDOW_DAYS", "7")?;
    Ok(PaymentSettings {
        payu: crate::payments::payu::PayuSettings {
            base_url: var("PAYU_BASE_URL", "https://secure.snd.payu.com"),
            pos_id: var("PAYU_POS_ID", "300746"),
            client_secret: var("PAYU_CLIENT_SECRET", "2ee86a66e5d97e3fadc400c9f19b065d"),
            second_key: var("PAYU_SECOND_KEY", "b6ca15b0d1020e8094d9b5f8d163db54"),
        },
        bank_account,
        fio_api_url: var("FIO_API_URL", "https://fioapi.fio.cz"),
        fio_token: env::var("FIO_TOKEN").ok().filter(|t| !t.is_empty()),
        fio_min_interval: Duration::from_secs(parse("FIO_MIN_INTERVAL_SECS", "30")?),
        windows: crate::delivery::PaymentWindows {
            card: Duration::from_secs(minutes * 60),
            bank_transfer: Duration::from_secs(days * 24 * 3600),
        },
    })
}

/// The database name in a PostgreSQL URL (`…/shop?sslmode=…` → `shop`).
fn database_name(url: &str) -> &str {
    url.rsplit('/')
        .next()
        .and_then(|tail| tail.split('?').next())
        .unwrap_or("shop")
}

fn var(name: &'static str, default: &str) -> String {
    env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// Four PostgreSQL connections per core. More only queue inside PostgreSQL: with 16 on two cores,
/// 50 buyers racing for one variant waited 75–80 ms (p99) instead of 57–60 ms with 8, and
/// listings and pages ran no faster (docs/decisions.md).
fn default_pool_size() -> usize {
    4 * std::thread::available_parallelism().map_or(1, usize::from)
}

fn parse<T: FromStr>(name: &'static str, default: &str) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    let value = var(name, default);
    value
        .parse()
        .map_err(|e: T::Err| invalid(name, &value, &e.to_string()))
}

fn invalid(name: &'static str, value: &str, reason: &str) -> ConfigError {
    ConfigError {
        name,
        value: value.to_owned(),
        reason: reason.to_owned(),
    }
}

impl Default for GraphqlLimits {
    fn default() -> Self {
        Self {
            max_depth: 15,
            max_complexity: 20_000,
            max_body_bytes: 65_536,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |set: bool| if set { "(hidden)" } else { "(unset)" };
        f.debug_struct("Config")
            .field("mode", &self.mode)
            .field("listen_addr", &self.listen_addr)
            .field("public_url", &self.public_url)
            .field("database_url", &without_password(&self.database_url))
            .field("database_max_connections", &self.database_max_connections)
            .field(
                "database_statement_timeout",
                &self.database_statement_timeout,
            )
            .field("redis_url", &without_password(&self.redis_url))
            .field("redis_key_prefix", &self.redis_key_prefix)
            .field("seed_demo_data", &self.seed_demo_data)
            .field("graphql_limits", &self.graphql_limits)
            .field("request_timeout", &self.request_timeout)
            .field("jwt_secret", &hidden(self.jwt_secret.is_some()))
            .field("smtp_url", &without_password(&self.smtp_url))
            .field("mail_from", &self.mail_from)
            .field("admin_email", &self.admin_email)
            .field("admin_password", &hidden(self.admin_password.is_some()))
            .field("site_root", &self.site_root)
            .field("trusted_proxy_hops", &self.trusted_proxy_hops)
            .field("payments", &self.payments)
            .field("jobs_interval", &self.jobs_interval)
            .field("media_dir", &self.media_dir)
            .field("upload_max_bytes", &self.upload_max_bytes)
            .field("import_max_bytes", &self.import_max_bytes)
            .field("seller", &self.seller)
            .field("pickup_point_feed", &self.pickup_point_feed)
            .field("invoice_font_dir", &self.invoice_font_dir)
            .field("assistant", &self.assistant)
            .finish()
    }
}

/// A URL with its password (`scheme://user:password@host…`) replaced.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:(hidden)@{host}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let mut config = Config::from_environment().expect("defaults");
        config.jwt_secret = Some("top secret signing key of 32 bytes!".into());
        config.smtp_url = "smtp://shop:mail-password@relay:587".into();
        config.admin_password = Some("admin password 123".into());
        let shown = format!("{config:?}");
        for secret in ["top secret", "mail-password", "admin password"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("smtp://shop:(hidden)@relay:587"), "{shown}");
    }
}
