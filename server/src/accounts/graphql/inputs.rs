//! Mutation inputs of accounts and their validation into domain values.

use async_graphql::InputObject;

use crate::accounts::model::ProfileFields;
use crate::accounts::validate;
use crate::address::MailingAddressInput;
use crate::graphql::user_error::Errors;

/// A new account.
#[derive(InputObject)]
pub(crate) struct CustomerRegisterInput {
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    /// Agreement to receive marketing e-mail.
    #[graphql(default)]
    pub marketing_consent: bool,
}

/// Sign-in credentials.
#[derive(InputObject)]
pub(crate) struct CustomerLoginInput {
    pub email: String,
    pub password: String,
}

/// A refresh token to exchange; storefront browsers omit it (the cookie is used).
#[derive(InputObject, Default)]
pub(crate) struct CustomerTokenInput {
    pub refresh_token: Option<String>,
}

/// Whose password to reset.
#[derive(InputObject)]
pub(crate) struct CustomerPasswordResetRequestInput {
    pub email: String,
}

/// A new password with the token from the reset e-mail.
#[derive(InputObject)]
pub(crate) struct CustomerPasswordResetInput {
    pub token: String,
    pub password: String,
}

/// The current and the new password.
#[derive(InputObject)]
pub(crate) struct CustomerPasswordChangeInput {
    pub current_password: String,
    pub new_password: String,
    /// The caller's refresh token (apps): that session stays signed in while every other one
    /// ends. The storefront's cookie session stays without it.
    pub refresh_token: Option<String>,
}

/// Profile fields.
#[derive(InputObject)]
pub(crate) struct CustomerUpdateInput {
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub marketing_consent: bool,
}

/// A new saved address.
#[derive(InputObject)]
pub(crate) struct CustomerAddressCreateInput {
    pub address: MailingAddressInput,
    /// Make it the default shipping address.
    #[graphql(default)]
    pub default_shipping: bool,
    /// Make it the default billing address.
    #[graphql(default)]
    pub default_billing: bool,
}

/// A change of a saved address.
#[derive(InputObject)]
pub(crate) struct CustomerAddressUpdateInput {
    pub id: async_graphql::ID,
    pub address: MailingAddressInput,
}

/// Which saved address to delete.
#[derive(InputObject)]
pub(crate) struct CustomerAddressDeleteInput {
    pub id: async_graphql::ID,
}

/// Which saved address becomes a default, and for what.
#[derive(InputObject)]
pub(crate) struct CustomerDefaultAddressUpdateInput {
    pub id: async_graphql::ID,
    #[graphql(default)]
    pub shipping: bool,
    #[graphql(default)]
    pub billing: bool,
}

/// Checks a new password against the policy.
pub(crate) fn new_password(errors: &mut Errors, field: &str, value: &str) {
    if let Err(message) = validate::new_password(value) {
        errors.0.push(crate::graphql::user_error::UserError::on(
            field,
            "WEAK_PASSWORD",
            message,
        ));
    }
}

pub(crate) fn profile(
    errors: &mut Errors,
    first_name: &str,
    last_name: &str,
    phone: Option<&str>,
    marketing_consent: bool,
) -> Option<ProfileFields> {
    let first_name = errors.check("firstName", validate::name(first_name));
    let last_name = errors.check("lastName", validate::name(last_name));
    let phone = errors.optional("phone", phone, validate::phone);
    Some(ProfileFields {
        first_name: first_name?,
        last_name: last_name?,
        phone,
        marketing_consent,
    })
}
