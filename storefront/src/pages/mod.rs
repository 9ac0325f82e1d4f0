//! One module per page.

mod account;
mod cart;
mod checkout;
mod home;
mod legal;
mod listing;
mod not_found;
pub(crate) mod order;
mod product;
mod reviews;
mod watch_form;
mod watchdog;

pub use account::{AccountPage, ForgotPasswordPage, RegisterPage, ResetPasswordPage, SignInPage};
pub use cart::CartPage;
pub use checkout::CheckoutPage;
pub use home::HomePage;
pub use legal::{ContactPage, LEGAL_PAGES, LegalPage};
pub use listing::{CategoryPage, SearchPage};
pub use not_found::NotFound;
pub use order::OrderPage;
pub use product::ProductPage;
pub use watchdog::{WatchCancelPage, WatchConfirmPage, WatchdogPage};
