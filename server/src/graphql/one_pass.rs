//! Objects resolved in one pass over their selection: leaf data (a price, an image, a variant,
//! a facet) and the products of a page, whose relations the page prefetched.
//!
//! async-graphql resolves every object field as a boxed future gathered into a growing map
//! (with a task set for objects not marked serial); for the ~1 200 fields of a page of products
//! that machinery cost more than the fields themselves. [`OnePass`] is the same type to the schema
//! (name, fields and resolvers come from `T`'s derive) but walks a plain list of fields in order,
//! awaiting each field's own resolver in place, into a map sized once. A field that does wait
//! (a relation no prefetch loaded) waits in turn; the items of a list still run side by side, so
//! their loads still batch. Selections it does not expect (fragments, directives, a response key
//! asked twice) go to the engine's serial resolution, so the answer is always the engine's. The
//! schema has no extensions, which the engine would call around each field and this walk does
//! not.

use std::borrow::Cow;

use async_graphql::indexmap::{IndexMap, map::Entry};
use async_graphql::parser::types::{Field, Selection};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::resolve_container_serial;
use async_graphql::{
    ContainerType, ContextSelectionSet, OutputType, Positioned, ServerResult, Value,
};

/// `T`, resolved in one pass (see the module documentation).
pub(crate) struct OnePass<T>(pub T);

impl<T: OutputType + ContainerType> OutputType for OnePass<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let items = &ctx.item.node.items;
        let plain = items.iter().all(|selection| match &selection.node {
            Selection::Field(field) => field.node.directives.is_empty(),
            _ => false,
        });
        if !plain {
            return resolve_container_serial(ctx, &self.0).await;
        }
        let mut object = IndexMap::with_capacity(items.len());
        for selection in items {
            let Selection::Field(field) = &selection.node else {
                unreachable!("checked above");
            };
            let Entry::Vacant(slot) = object.entry(field.node.response_key().node.clone()) else {
                // The same key twice must be merged as the engine does it.
                return resolve_container_serial(ctx, &self.0).await;
            };
            let value = if field.node.name.node == "__typename" {
                Ok(Some(Value::String(
                    self.0.introspection_type_name().into_owned(),
                )))
            } else {
                self.0.resolve_field(&ctx.with_field(field)).await
            };
            match value {
                Ok(value) => {
                    slot.insert(value.unwrap_or_default());
                }
                Err(error) => ctx.add_error(error),
            }
        }
        // An object whose every field failed is null, as the engine makes it.
        Ok(if object.is_empty() {
            Value::Null
        } else {
            Value::Object(object)
        })
    }
}
