//! Pieces shared by several pages.

mod add_to_cart;
mod assistant;
mod footer;
mod form;
mod header;
mod icon;
mod latest;
mod live;
mod meta;
mod product_card;
mod search_box;
mod stars;
mod totals;

pub use add_to_cart::{AddToCartButton, add_variant};
pub use assistant::AssistantPanel;
pub use footer::Footer;
pub use form::{
    Field, FieldErrors, FormMessage, NETWORK_ERROR, OutcomeNote, checks, reload_to, submit,
};
pub use header::Header;
pub use icon::{FILTER, Icon};
pub use latest::Latest;
#[cfg(feature = "hydrate")]
pub use live::subscribe;
pub use meta::{PageMeta, redirect_permanently, script_safe_json, set_status};
pub use product_card::{CardData, ProductGrid};
pub use stars::Stars;
pub use totals::{Totals, TotalsView};
