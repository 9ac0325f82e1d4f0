//! The pickup points in the schema: the picker's search, and the point a checkout or order names.

use async_graphql::{Context, ID, InputObject, Object};
use sqlx::PgPool;

use super::PickupPoint as Point;
use super::service::{self, MAX_RESULTS};
use crate::error::bad_input;

/// A Zásilkovna pickup point.
pub(crate) struct PickupPoint {
    point: Point,
    /// Metres from the place searched near, when one was given.
    distance: Option<f64>,
}

impl From<Point> for PickupPoint {
    fn from(point: Point) -> Self {
        Self {
            point,
            distance: None,
        }
    }
}

/// A Zásilkovna pickup point.
#[Object]
impl PickupPoint {
    /// Packeta's branch id, as `checkoutUpdate` takes it (`pickupPointId`).
    async fn id(&self) -> ID {
        ID(self.point.id.clone())
    }

    /// The point's name, e.g. `Praha, Národní 10 (Trafika)`.
    async fn name(&self) -> &str {
        &self.point.name
    }

    /// Street and number.
    async fn street(&self) -> &str {
        &self.point.street
    }

    async fn city(&self) -> &str {
        &self.point.city
    }

    /// PSČ, e.g. `110 00`.
    async fn zip(&self) -> &str {
        &self.point.zip
    }

    /// The address on one line.
    async fn address(&self) -> String {
        self.point.address()
    }

    /// Opening hours in short, e.g. `Po–Pá 8:00–18:00`.
    async fn opening_hours(&self) -> &str {
        &self.point.opening_hours
    }

    async fn latitude(&self) -> f64 {
        self.point.latitude
    }

    async fn longitude(&self) -> f64 {
        self.point.longitude
    }

    /// Metres from the place given as `near`, rounded; `null` without one.
    async fn distance(&self) -> Option<i32> {
        self.distance.map(|metres| metres.round() as i32)
    }
}

/// A place on Earth (WGS 84), e.g. the shopper's position as the browser shares it.
#[derive(InputObject)]
pub(crate) struct GeoPointInput {
    pub latitude: f64,
    pub longitude: f64,
}

#[derive(Default)]
pub(crate) struct PickupPointsQuery;

#[Object]
impl PickupPointsQuery {
    /// Open Zásilkovna pickup points whose city, street, name or PSČ contain every word of
    /// `search` (without regard to case or diacritics), nearest to `near` first when given; at
    /// most `first` (1–50).
    async fn pickup_points(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] search: String,
        near: Option<GeoPointInput>,
        #[graphql(default = 20)] first: i32,
    ) -> async_graphql::Result<Vec<PickupPoint>> {
        if !(1..=MAX_RESULTS).contains(&i64::from(first)) {
            return Err(bad_input(format!("`first` must be 1 to {MAX_RESULTS}.")));
        }
        if search.chars().count() > 100 {
            return Err(bad_input("`search` is at most 100 characters."));
        }
        let near = match near {
            Some(GeoPointInput {
                latitude,
                longitude,
            }) if (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude) => {
                Some((latitude, longitude))
            }
            Some(_) => {
                return Err(bad_input(
                    "`near` must be a latitude and longitude in degrees.",
                ));
            }
            None => None,
        };
        let points = service::search(
            ctx.data_unchecked::<PgPool>(),
            &search,
            near,
            i64::from(first),
        )
        .await?;
        Ok(points
            .into_iter()
            .map(|point| PickupPoint {
                distance: near.map(|(lat, lon)| point.metres_from(lat, lon)),
                point,
            })
            .collect())
    }

    /// An open pickup point by its Packeta id; `null` when there is none or it is closed.
    async fn pickup_point(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<PickupPoint>> {
        let point = service::find_active(ctx.data_unchecked::<PgPool>(), &id).await?;
        Ok(point.map(PickupPoint::from))
    }
}
