//! Objects resolved in one pass over their selection: leaf data (a price, an image, a variant,
//! a facet) and the products of a page, whose relations the page prefetched.
//!
//! async-graphql resolves every object field as a boxed future gathered into a growing map
//! (with a task set for objects not marked serial); for the ~1 200 fields of a page of products
//! that machinery cost more than the fields themselves. [`OnePass`] is the same type to the schema
//! (name, fields and resolvers come from `T`'s derive) but walks a plain list of fields in order,
//! awaiting each field's own resolver in place, into a map sized once. A field that does wait
//! (a relation no prefetch loaded) waits in turn; the items of a list still run side by side, so
//! their loads still batch. Fragments on the type itself are walked in place; what it does not
//! expect (directives, fragments on an interface, a response key asked twice) goes to the
//! engine's serial resolution, so the answer is always the engine's. The
//! schema has no extensions, which the engine would call around each field and this walk does
//! not.

use std::borrow::Cow;

use async_graphql::indexmap::{IndexMap, map::Entry};
use async_graphql::parser::types::{Field, Selection, SelectionSet};
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
        let mut fields = Vec::with_capacity(ctx.item.node.items.len());
        if !plain_fields(ctx, &ctx.item.node, &T::type_name(), &mut fields) {
            return resolve_container_serial(ctx, &self.0).await;
        }
        let mut object = IndexMap::with_capacity(fields.len());
        for field in fields {
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

/// Appends the fields `set` selects to `fields`, in order, through fragments on `type_name`
/// itself; `false` when it holds what only the engine resolves: a directive, a fragment on
/// another type (an interface), a fragment the document lacks.
fn plain_fields<'a>(
    ctx: &ContextSelectionSet<'a>,
    set: &'a SelectionSet,
    type_name: &str,
    fields: &mut Vec<&'a Positioned<Field>>,
) -> bool {
    let fragments = &ctx.query_env.fragments;
    set.items.iter().all(|selection| match &selection.node {
        Selection::Field(field) => {
            fields.push(field);
            field.node.directives.is_empty()
        }
        Selection::FragmentSpread(spread) => {
            spread.node.directives.is_empty()
                && fragments
                    .get(&spread.node.fragment_name.node)
                    .is_some_and(|fragment| {
                        fragment.node.type_condition.node.on.node == type_name
                            && plain_fields(
                                ctx,
                                &fragment.node.selection_set.node,
                                type_name,
                                fields,
                            )
                    })
        }
        Selection::InlineFragment(inline) => {
            inline.node.directives.is_empty()
                && (inline.node.type_condition.as_ref())
                    .is_none_or(|condition| condition.node.on.node == type_name)
                && plain_fields(ctx, &inline.node.selection_set.node, type_name, fields)
        }
    })
}
