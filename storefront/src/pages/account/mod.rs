//! Accounts in the storefront: sign in, register, forgotten password, the account page.

mod overview;
mod password;
mod sign_in;
mod watches;

pub use overview::AccountPage;
pub use password::{ForgotPasswordPage, ResetPasswordPage};
pub use sign_in::{RegisterPage, SignInPage};
