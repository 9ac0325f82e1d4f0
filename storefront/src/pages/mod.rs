//! One module per page.

mod account;
mod home;
mod listing;
mod not_found;
mod product;

pub use account::{AccountPage, ForgotPasswordPage, RegisterPage, ResetPasswordPage, SignInPage};
pub use home::HomePage;
pub use listing::{CategoryPage, SearchPage};
pub use not_found::NotFound;
pub use product::ProductPage;
