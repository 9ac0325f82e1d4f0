//! Batch loading of orders' nested relations: one query for the lines (or timelines) of every
//! order a response lists.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sqlx::PgPool;

use super::store::{self, Event, OrderLine};
use crate::graphql::loading::group;

/// Loads order records in batches. One instance serves one GraphQL request.
pub(crate) struct OrdersLoader {
    pool: PgPool,
}

impl OrdersLoader {
    pub(crate) fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// Key: the lines of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct LinesOf(pub i64);

/// Key: the timeline of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct EventsOf(pub i64);

impl Loader<LinesOf> for OrdersLoader {
    type Value = Vec<OrderLine>;
    type Error = Arc<sqlx::Error>;

    async fn load(
        &self,
        keys: &[LinesOf],
    ) -> Result<HashMap<LinesOf, Vec<OrderLine>>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = store::lines_of(&self.pool, &ids).await.map_err(Arc::new)?;
        Ok(group(
            keys,
            rows.into_iter().map(|row| (LinesOf(row.order_id), row)),
        ))
    }
}

impl Loader<EventsOf> for OrdersLoader {
    type Value = Vec<Event>;
    type Error = Arc<sqlx::Error>;

    async fn load(&self, keys: &[EventsOf]) -> Result<HashMap<EventsOf, Vec<Event>>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = store::events_of(&self.pool, &ids).await.map_err(Arc::new)?;
        Ok(group(
            keys,
            rows.into_iter().map(|row| (EventsOf(row.order_id), row)),
        ))
    }
}
