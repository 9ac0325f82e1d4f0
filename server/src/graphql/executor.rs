//! The one way into the schema. `POST /graphql`, the storefront's server rendering and every
//! WebSocket operation run through [`ShopExecutor`], so they share the same per-request loaders,
//! introspection rule, time limit and error hygiene.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Data, Response};
use futures_util::stream::{self, BoxStream, StreamExt};
use sqlx::PgPool;

use super::parsed::{self, ParsedDocuments};
use super::{Caller, Schemas, ShopSchema, errors};
use crate::accounts::loaders::AccountsLoader;
use crate::accounts::password::HashingBudget;
use crate::auth::Role;
use crate::cache::Redis;
use crate::catalog::loaders::{CatalogDataLoader, CatalogLoader};
use crate::catalog::snapshot::CatalogSnapshots;
use crate::config::Mode;
use crate::error::{ErrorCode, api_error};
use crate::orders::loaders::OrdersLoader;

/// Operations one WebSocket may have running at once (live order pages need one or two).
pub const MAX_OPERATIONS_PER_SOCKET: usize = 8;

/// Executes requests on the shop's schema for a [`Caller`]. Cheap to clone.
#[derive(Clone)]
pub struct ShopExecutor {
    schema: ShopSchema,
    trusted: ShopSchema,
    pool: PgPool,
    timeout: Duration,
    documents: Arc<ParsedDocuments>,
    catalog: Arc<CatalogSnapshots>,
}

impl ShopExecutor {
    /// `timeout` bounds a query or mutation (subscriptions live as long as their socket).
    pub fn new(schemas: Schemas, pool: PgPool, redis: Redis, timeout: Duration) -> Self {
        Self {
            schema: schemas.public,
            trusted: schemas.trusted,
            catalog: Arc::new(CatalogSnapshots::new(pool.clone(), redis)),
            pool,
            timeout,
            documents: Default::default(),
        }
    }

    /// The request's parsed document (parsed once per instance and text, see
    /// [`ParsedDocuments`]); `None` when it does not parse.
    pub fn document<'r>(
        &self,
        request: &'r mut async_graphql::Request,
    ) -> Option<&'r ExecutableDocument> {
        self.documents.attach(request)
    }

    /// The type of the operation a request runs (`None` when it does not parse or names no
    /// operation of its document: the engine reports that).
    pub fn operation_type(&self, request: &mut async_graphql::Request) -> Option<OperationType> {
        let name = request.operation_name.clone();
        parsed::operation_type(self.document(request)?, name.as_deref())
    }

    /// Runs a query or mutation for `caller`; the response's errors are safe to show.
    pub async fn execute(&self, caller: Caller, request: async_graphql::Request) -> Response {
        self.run(Validation::UnlessKnownValid, caller, request)
            .await
    }

    /// [`Self::execute`] for an operation of the storefront's own, known valid (see
    /// [`Schemas`]).
    pub async fn execute_trusted(
        &self,
        caller: Caller,
        request: async_graphql::Request,
    ) -> Response {
        self.run(Validation::Trusted, caller, request).await
    }

    async fn run(
        &self,
        validation: Validation,
        caller: Caller,
        mut request: async_graphql::Request,
    ) -> Response {
        let known_valid = self.documents.attach_known(&mut request);
        // An operation seen for the first time: its text and name, to remember it once valid.
        let first_time = (validation == Validation::UnlessKnownValid && !known_valid)
            .then(|| (request.query.clone(), request.operation_name.clone()));
        let schema = match first_time {
            Some(_) => &self.schema,
            None => &self.trusted,
        };
        let request = self.prepare(caller, request);
        let mut response = match tokio::time::timeout(self.timeout, schema.execute(request)).await {
            Ok(response) => response,
            Err(_) => refusal(ErrorCode::Internal, "The request took too long; try again."),
        };
        // Execution starts (and data is an object) only once the document passed validation.
        if let Some((query, operation)) = first_time
            && response.data != async_graphql::Value::Null
        {
            self.documents.remember_valid(&query, operation.as_deref());
        }
        errors::sanitize(&mut response);
        response
    }

    /// Runs any operation for `caller`: a subscription as a stream of responses, a query or
    /// mutation as a stream of its one response (as [`Self::execute`] would answer).
    pub fn stream(
        &self,
        caller: Caller,
        mut request: async_graphql::Request,
    ) -> BoxStream<'static, Response> {
        if self.operation_type(&mut request) != Some(OperationType::Subscription) {
            let this = self.clone();
            return stream::once(async move { this.execute(caller, request).await }).boxed();
        }
        self.schema
            .execute_stream(self.prepare(caller, request))
            .map(|mut response| {
                errors::sanitize(&mut response);
                response
            })
            .boxed()
    }

    /// Adds what one request needs of its own: the caller, fresh batch loaders (their cache
    /// lives one request), a password-hashing budget; in production introspection is for
    /// admins only.
    fn prepare(&self, caller: Caller, request: async_graphql::Request) -> async_graphql::Request {
        let is_admin = caller.viewer.0.is_some_and(|v| v.role == Role::Admin);
        let production = self
            .schema
            .data::<Mode>()
            .is_some_and(|mode| *mode == Mode::Production);
        let catalog: CatalogDataLoader = DataLoader::with_cache(
            CatalogLoader::new(self.pool.clone(), self.catalog.clone()),
            tokio::spawn,
            HashMapCache::new(),
        );
        let accounts = DataLoader::new(AccountsLoader::new(self.pool.clone()), tokio::spawn);
        let orders = DataLoader::new(OrdersLoader::new(self.pool.clone()), tokio::spawn);
        let request = request
            .data(catalog)
            .data(accounts)
            .data(orders)
            .data(HashingBudget::default())
            .data(caller.viewer)
            .data(caller.info);
        if production && !is_admin {
            request.disable_introspection()
        } else {
            request
        }
    }
}

/// How much of a request's document to validate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Validation {
    /// All of it, unless the same operation passed full validation before on this instance.
    UnlessKnownValid,
    /// Only what depends on the variables: the storefront's own operations.
    Trusted,
}

/// A response with one error and no data.
pub fn refusal(code: ErrorCode, message: &str) -> Response {
    Response::from_errors(vec![
        api_error(code, message).into_server_error(Default::default()),
    ])
}

/// One WebSocket's way into the schema: the caller is fixed when the connection is initialised,
/// and at most [`MAX_OPERATIONS_PER_SOCKET`] operations run at once.
#[derive(Clone)]
pub struct SocketExecutor {
    shop: ShopExecutor,
    caller: Arc<OnceLock<Caller>>,
    running: Arc<AtomicUsize>,
}

impl SocketExecutor {
    /// An executor for a new socket; its caller is set by [`Self::identify`].
    pub fn new(shop: ShopExecutor) -> Self {
        Self {
            shop,
            caller: Default::default(),
            running: Default::default(),
        }
    }

    /// Fixes who the socket's operations run as (once, at `connection_init`).
    pub fn identify(&self, caller: Caller) {
        let _ = self.caller.set(caller);
    }

    fn caller(&self) -> Caller {
        self.caller.get().cloned().unwrap_or_default()
    }
}

/// Frees an operation's place on its socket when its stream ends or is dropped.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl async_graphql::Executor for SocketExecutor {
    async fn execute(&self, request: async_graphql::Request) -> Response {
        self.shop.execute(self.caller(), request).await
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        _session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        if self.running.fetch_add(1, Ordering::SeqCst) >= MAX_OPERATIONS_PER_SOCKET {
            self.running.fetch_sub(1, Ordering::SeqCst);
            let message = format!(
                "At most {MAX_OPERATIONS_PER_SOCKET} operations may run on one connection."
            );
            return stream::once(async move { refusal(ErrorCode::RateLimited, &message) }).boxed();
        }
        let slot = Running(self.running.clone());
        self.shop
            .stream(self.caller(), request)
            .map(move |response| {
                let _ = &slot;
                response
            })
            .boxed()
    }
}
