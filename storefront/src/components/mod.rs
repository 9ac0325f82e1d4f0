//! Pieces shared by several pages.

mod footer;
mod form;
mod header;
mod meta;
mod product_card;
mod search_box;

pub use footer::Footer;
pub use form::{Field, FieldErrors, FormMessage, NETWORK_ERROR, checks, reload_to};
pub use header::Header;
pub use meta::{PageMeta, set_not_found_status};
pub use product_card::{CardData, ProductGrid};
