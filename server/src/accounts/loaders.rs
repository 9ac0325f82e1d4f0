//! Batch loading of accounts' nested relations: one query for the addresses of many customers.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sqlx::PgPool;

use super::store;
use crate::address::Address;
use crate::graphql::loading::group;

/// Loads account records in batches. One instance serves one GraphQL request.
pub(crate) struct AccountsLoader {
    pool: PgPool,
}

impl AccountsLoader {
    pub(crate) fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// Key: the saved addresses of a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct AddressesOf(pub i64);

impl Loader<AddressesOf> for AccountsLoader {
    type Value = Vec<Address>;
    type Error = Arc<sqlx::Error>;

    async fn load(
        &self,
        keys: &[AddressesOf],
    ) -> Result<HashMap<AddressesOf, Vec<Address>>, Self::Error> {
        let ids: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let rows = store::addresses_of_many(&self.pool, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(group(
            keys,
            rows.into_iter()
                .map(|row| (AddressesOf(row.customer_id), row)),
        ))
    }
}
