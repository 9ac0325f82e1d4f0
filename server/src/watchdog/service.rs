//! Setting up, confirming and cancelling watches, and the job that sends the notices.

use std::collections::HashMap;

use sqlx::PgPool;

use super::store::{self, NewWatch};
use super::{Watch, WatchError, WatchKind};
use crate::accounts::sessions;
use crate::cache::Redis;
use crate::mail::{outbox, templates};
use crate::rate_limit::{self, Limit};

/// Watches a guest may ask for from one address in an hour: each e-mails any address.
const GUEST_WATCHES_PER_IP: Limit = Limit {
    name: "watch-ip",
    max: 20,
    window: std::time::Duration::from_secs(3600),
};
/// Watches the job looks at in one transaction.
const BATCH: i64 = 500;

/// Who asks for a watch.
pub(crate) struct Watcher<'a> {
    /// The signed-in customer and their account's e-mail, if any.
    pub customer: Option<(i64, String)>,
    /// The address a guest typed.
    pub email: Option<String>,
    /// The request's address, for the guests' limit.
    pub ip: Option<&'a str>,
}

/// What a new watch needs.
pub(crate) struct WatchRequest {
    pub variant_id: i64,
    pub kind: WatchKind,
    /// Haléře, for a price watch.
    pub price_below: Option<i64>,
}

/// Sets up a watch: a customer's starts at once (at their account's address); a guest gets an
/// e-mail with a link that starts it. Returns the watch.
pub(crate) async fn create(
    pool: &PgPool,
    redis: &Redis,
    shop_url: &str,
    watcher: Watcher<'_>,
    request: WatchRequest,
) -> Result<Watch, WatchError> {
    let price_below = match (request.kind, request.price_below) {
        (WatchKind::PriceBelow, Some(price)) if price > 0 => Some(price),
        (WatchKind::PriceBelow, _) => {
            return Err(WatchError::Invalid(
                "priceBelow",
                "Zadejte cenu, pod kterou máme hlídat.",
            ));
        }
        (WatchKind::BackInStock, _) => None,
    };
    let (email, customer_id) = match watcher.customer {
        Some((id, email)) => (email, Some(id)),
        None => {
            let typed = watcher.email.unwrap_or_default();
            let email = crate::accounts::validate::email(&typed)
                .map_err(|message| WatchError::Invalid("email", message))?;
            rate_limit::check(redis, GUEST_WATCHES_PER_IP, watcher.ip.unwrap_or("-")).await?;
            (email, None)
        }
    };
    let variant = crate::catalog::store::variants_by_ids(pool, &[request.variant_id])
        .await?
        .into_iter()
        .next()
        .ok_or(WatchError::UnknownVariant)?;
    // Links' secrets are made and stored (as a hash) like refresh tokens.
    let (token, token_hash) = sessions::new_secret();
    let watch = store::upsert(
        pool,
        &NewWatch {
            variant_id: variant.id,
            kind: request.kind,
            price_below,
            email: &email,
            customer_id,
            token_hash: &token_hash,
            confirmed: customer_id.is_some(),
        },
    )
    .await?;
    if watch.confirmed_at.is_none() {
        let name = product_names(pool, &[variant.product_id]).await?;
        let product = name
            .get(&variant.product_id)
            .map_or("zboží", |(n, _)| n.as_str());
        let links = Links::new(shop_url, &token);
        outbox::enqueue(pool, &templates::watch_confirm(&email, product, &links)).await?;
    }
    Ok(watch)
}

/// The links an e-mail about a watch carries: pages with a button (a link opened by a mail
/// scanner changes nothing), and the one-click unsubscribe address for mail programs.
pub(crate) struct Links {
    pub confirm: String,
    pub cancel: String,
    pub one_click: String,
}

impl Links {
    fn new(shop_url: &str, token: &str) -> Self {
        Self {
            confirm: format!("{shop_url}/hlidaci-pes/potvrdit?klic={token}"),
            cancel: format!("{shop_url}/hlidaci-pes/zrusit?klic={token}"),
            one_click: format!("{shop_url}/hlidaci-pes/zruseni?klic={token}"),
        }
    }
}

/// Starts the watch whose confirmation link carries `token`.
pub(crate) async fn confirm(pool: &PgPool, token: &str) -> Result<Watch, WatchError> {
    store::confirm(pool, &sessions::hash(token))
        .await?
        .ok_or(WatchError::UnknownToken)
}

/// Ends the watch whose link carries `token`.
pub(crate) async fn cancel_by_token(pool: &PgPool, token: &str) -> Result<(), WatchError> {
    match store::delete_by_token(pool, &sessions::hash(token)).await? {
        true => Ok(()),
        false => Err(WatchError::UnknownToken),
    }
}

/// Ends a customer's watch.
pub(crate) async fn cancel_own(pool: &PgPool, customer_id: i64, id: i64) -> Result<(), WatchError> {
    match store::delete_own(pool, customer_id, id).await? {
        true => Ok(()),
        false => Err(WatchError::UnknownWatch),
    }
}

/// Product names and slugs by id.
async fn product_names(pool: &PgPool, ids: &[i64]) -> sqlx::Result<HashMap<i64, (String, String)>> {
    Ok(crate::catalog::store::products_by_ids(pool, ids)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.name, p.slug)))
        .collect())
}

/// Sends a notice for every confirmed watch whose wish came true (price at or below the
/// threshold while in stock, or back in stock), each once: the notice ends the watch. For the
/// job runner; returns how many were sent.
pub async fn notify_due(pool: &PgPool, shop_url: &str) -> sqlx::Result<usize> {
    let mut sent = 0;
    let mut after = 0;
    loop {
        let mut tx = pool.begin().await?;
        let watches = store::waiting(&mut tx, after, BATCH).await?;
        let Some(last) = watches.last() else {
            return Ok(sent);
        };
        after = last.id;
        let variant_ids: Vec<i64> = watches.iter().map(|w| w.variant_id).collect();
        let variants: HashMap<i64, crate::catalog::model::Variant> =
            crate::catalog::store::variants_by_ids(pool, &variant_ids)
                .await?
                .into_iter()
                .map(|v| (v.id, v))
                .collect();
        let due: Vec<(&Watch, &crate::catalog::model::Variant)> = watches
            .iter()
            .filter_map(|w| Some((w, variants.get(&w.variant_id)?)))
            .filter(|(w, v)| match w.kind {
                WatchKind::PriceBelow => {
                    w.price_below.is_some_and(|limit| v.price_gross <= limit)
                        && v.stock_quantity > 0
                }
                WatchKind::BackInStock => v.stock_quantity > 0,
            })
            .collect();
        let product_ids: Vec<i64> = due.iter().map(|(_, v)| v.product_id).collect();
        let products = product_names(pool, &product_ids).await?;
        for (watch, variant) in &due {
            let Some((name, slug)) = products.get(&variant.product_id) else {
                continue;
            };
            let notice = templates::watch_fired(
                &watch.email,
                name,
                &format!("{shop_url}/p/{slug}"),
                crate::money::Money::czk(variant.price_gross),
                watch.kind,
            );
            outbox::enqueue(&mut *tx, &notice).await?;
        }
        let ids: Vec<i64> = due.iter().map(|(w, _)| w.id).collect();
        store::mark_notified(&mut tx, &ids).await?;
        tx.commit().await?;
        sent += ids.len();
    }
}
