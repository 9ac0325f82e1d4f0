//! Mutation inputs of accounts and their validation into domain values.

use async_graphql::InputObject;

use crate::accounts::model::{AddressFields, ProfileFields};
use crate::accounts::validate;
use crate::graphql::user_error::Errors;

/// A new account.
#[derive(InputObject)]
pub struct CustomerRegisterInput {
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
pub struct CustomerLoginInput {
    pub email: String,
    pub password: String,
}

/// A refresh token to exchange; storefront browsers omit it (the cookie is used).
#[derive(InputObject, Default)]
pub struct CustomerTokenInput {
    pub refresh_token: Option<String>,
}

/// Whose password to reset.
#[derive(InputObject)]
pub struct CustomerPasswordResetRequestInput {
    pub email: String,
}

/// A new password with the token from the reset e-mail.
#[derive(InputObject)]
pub struct CustomerPasswordResetInput {
    pub token: String,
    pub password: String,
}

/// The current and the new password.
#[derive(InputObject)]
pub struct CustomerPasswordChangeInput {
    pub current_password: String,
    pub new_password: String,
    /// The caller's refresh token (apps): that session stays signed in while every other one
    /// ends. The storefront's cookie session stays without it.
    pub refresh_token: Option<String>,
}

/// Profile fields.
#[derive(InputObject)]
pub struct CustomerUpdateInput {
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub marketing_consent: bool,
}

/// A postal address in Czech format.
#[derive(InputObject)]
pub struct MailingAddressInput {
    pub first_name: String,
    pub last_name: String,
    pub company: Option<String>,
    /// Company identification number, 8 digits with a valid check digit.
    pub ico: Option<String>,
    /// VAT number, `CZ` and 8 to 10 digits.
    pub dic: Option<String>,
    pub street: String,
    pub city: String,
    /// `NNN NN`.
    pub postal_code: String,
    /// ISO 3166 code; `CZ` when omitted.
    pub country: Option<String>,
    pub phone: Option<String>,
}

/// A new saved address.
#[derive(InputObject)]
pub struct CustomerAddressCreateInput {
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
pub struct CustomerAddressUpdateInput {
    pub id: async_graphql::ID,
    pub address: MailingAddressInput,
}

/// Which saved address to delete.
#[derive(InputObject)]
pub struct CustomerAddressDeleteInput {
    pub id: async_graphql::ID,
}

/// Which saved address becomes a default, and for what.
#[derive(InputObject)]
pub struct CustomerDefaultAddressUpdateInput {
    pub id: async_graphql::ID,
    #[graphql(default)]
    pub shipping: bool,
    #[graphql(default)]
    pub billing: bool,
}

/// Optional text: `None` for absent or blank, else checked.
fn optional<T>(
    errors: &mut Errors,
    field: &str,
    value: Option<&str>,
    check: impl Fn(&str) -> Result<T, &'static str>,
) -> Option<T> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    errors.check(field, check(value))
}

/// Checks a new password against the policy.
pub fn new_password(errors: &mut Errors, field: &str, value: &str) {
    if let Err(message) = validate::new_password(value) {
        errors.0.push(crate::graphql::user_error::UserError::on(
            field,
            "WEAK_PASSWORD",
            message,
        ));
    }
}

pub fn profile(
    errors: &mut Errors,
    first_name: &str,
    last_name: &str,
    phone: Option<&str>,
    marketing_consent: bool,
) -> Option<ProfileFields> {
    let first_name = errors.check("firstName", validate::name(first_name));
    let last_name = errors.check("lastName", validate::name(last_name));
    let phone = optional(errors, "phone", phone, validate::phone);
    Some(ProfileFields {
        first_name: first_name?,
        last_name: last_name?,
        phone,
        marketing_consent,
    })
}

impl MailingAddressInput {
    /// The validated address, or `None` with the problems in `errors` (fields under `address`).
    pub fn validate(&self, errors: &mut Errors) -> Option<AddressFields> {
        let first_name = errors.check("address.firstName", validate::name(&self.first_name));
        let last_name = errors.check("address.lastName", validate::name(&self.last_name));
        let company = optional(errors, "address.company", self.company.as_deref(), |v| {
            validate::line(v, "")
        });
        let ico = optional(errors, "address.ico", self.ico.as_deref(), validate::ico);
        let dic = optional(errors, "address.dic", self.dic.as_deref(), validate::dic);
        let street = errors.check(
            "address.street",
            validate::line(&self.street, "Vyplňte ulici a číslo domu."),
        );
        let city = errors.check("address.city", validate::line(&self.city, "Vyplňte obec."));
        let postal_code = errors.check(
            "address.postalCode",
            validate::postal_code(&self.postal_code),
        );
        let country = self
            .country
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .unwrap_or("CZ")
            .to_uppercase();
        let country = errors.check(
            "address.country",
            if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(country)
            } else {
                Err("Zadejte kód země, např. CZ.")
            },
        );
        let phone = optional(
            errors,
            "address.phone",
            self.phone.as_deref(),
            validate::phone,
        );
        Some(AddressFields {
            first_name: first_name?,
            last_name: last_name?,
            company,
            ico,
            dic,
            street: street?,
            city: city?,
            postal_code: postal_code?,
            country: country?,
            phone,
        })
    }
}
