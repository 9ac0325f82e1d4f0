//! The GraphQL shape of an address and of an address as entered.

use async_graphql::{ID, InputObject, Object};

use super::{Address, AddressFields};
use crate::graphql::user_error::Errors;
use crate::ids::{self, NodeType};
use storefront::validate;

/// A postal address in Czech format, optionally of a company (for invoices).
pub(crate) struct MailingAddress(pub Address);

impl MailingAddress {
    /// An address outside the address book: a checkout's or an order's copy.
    pub(crate) fn snapshot(fields: AddressFields) -> Self {
        Self(Address {
            id: 0,
            customer_id: 0,
            fields,
        })
    }
}

/// A postal address in Czech format, optionally of a company (for invoices).
#[Object]
impl MailingAddress {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::MailingAddress, self.0.id)
    }

    async fn first_name(&self) -> &str {
        &self.0.fields.first_name
    }

    async fn last_name(&self) -> &str {
        &self.0.fields.last_name
    }

    /// Company name, for invoices to a business.
    async fn company(&self) -> Option<&str> {
        self.0.fields.company.as_deref()
    }

    /// Company identification number (IČO), 8 digits.
    async fn ico(&self) -> Option<&str> {
        self.0.fields.ico.as_deref()
    }

    /// VAT number (DIČ), e.g. `CZ12345678`.
    async fn dic(&self) -> Option<&str> {
        self.0.fields.dic.as_deref()
    }

    /// Street and house number.
    async fn street(&self) -> &str {
        &self.0.fields.street
    }

    async fn city(&self) -> &str {
        &self.0.fields.city
    }

    /// Postal code (PSČ) as `NNN NN`.
    async fn postal_code(&self) -> &str {
        &self.0.fields.postal_code
    }

    /// ISO 3166 country code, e.g. `CZ`.
    async fn country(&self) -> &str {
        &self.0.fields.country
    }

    async fn phone(&self) -> Option<&str> {
        self.0.fields.phone.as_deref()
    }
}

/// A postal address in Czech format.
#[derive(InputObject)]
pub(crate) struct MailingAddressInput {
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

impl MailingAddressInput {
    /// The validated address, or `None` with the problems in `errors` (fields under `address`).
    pub(crate) fn validate(&self, errors: &mut Errors) -> Option<AddressFields> {
        let first_name = errors.check("address.firstName", validate::name(&self.first_name));
        let last_name = errors.check("address.lastName", validate::name(&self.last_name));
        let company = errors.optional("address.company", self.company.as_deref(), |v| {
            validate::line(v, "")
        });
        let ico = errors.optional("address.ico", self.ico.as_deref(), validate::ico);
        let dic = errors.optional("address.dic", self.dic.as_deref(), validate::dic);
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
        let phone = errors.optional("address.phone", self.phone.as_deref(), validate::phone);
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
