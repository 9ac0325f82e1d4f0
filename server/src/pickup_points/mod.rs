//! Zásilkovna (Packeta) pickup points: a table kept in step with Packeta's branch feed by a job,
//! searched by city, street or PSČ (nearest first when the shopper shares a location), and the
//! check that a checkout names an existing, open point.

pub(crate) mod demo;
pub(crate) mod feed;
pub(crate) mod graphql;
pub mod service;
pub(crate) mod store;

use std::time::Duration;

/// A pickup point as shoppers choose it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PickupPoint {
    /// Packeta's branch id (digits), as orders and Packeta's API name it.
    pub id: String,
    /// What the point is called.
    pub name: String,
    /// Street and number.
    pub street: String,
    /// The town or city.
    pub city: String,
    /// PSČ as written: `110 00`.
    pub zip: String,
    /// Position (WGS 84), degrees north.
    pub latitude: f64,
    /// Position (WGS 84), degrees east.
    pub longitude: f64,
    /// The opening hours in short (`Po–Pá 8:00–18:00, So 9:00–12:00`).
    pub opening_hours: String,
}

impl PickupPoint {
    /// The address on one line: `Národní 10, 110 00 Praha`.
    pub fn address(&self) -> String {
        format!("{}, {} {}", self.street, self.zip, self.city)
    }

    /// Metres from a place (great-circle distance).
    pub fn metres_from(&self, latitude: f64, longitude: f64) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_000.0;
        let (lat1, lat2) = (latitude.to_radians(), self.latitude.to_radians());
        let d_lat = lat2 - lat1;
        let d_lon = (self.longitude - longitude).to_radians();
        let a = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

/// Where the branch feed is and how often it is read (`PACKETA_API_KEY`, `PACKETA_FEED_URL`,
/// `PACKETA_SYNC_HOURS`, `PACKETA_FEED_MAX_MB`). Without a key nothing is fetched (the demo
/// points serve).
#[derive(Clone)]
pub struct FeedSettings {
    /// The feed's address with the key filled in, when a key is configured.
    pub url: Option<String>,
    /// Pause between syncs.
    pub every: Duration,
    /// The largest feed read.
    pub max_bytes: u64,
}

/// The feed's address carries the API key: debug output hides it.
impl std::fmt::Debug for FeedSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeedSettings")
            .field("url", &self.url.as_ref().map(|_| "(hidden)"))
            .field("every", &self.every)
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}
