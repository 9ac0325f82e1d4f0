//! Opaque global IDs (`base64("Product:42")`) for the Relay `Node` interface.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::error::{ErrorCode, api_error};

/// Types that have a global ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeType {
    /// A product (`Product`).
    Product,
    /// A variant of a product (`ProductVariant`).
    ProductVariant,
    /// A category (`Category`).
    Category,
    /// A brand (`Brand`).
    Brand,
    /// A customer account (`Customer`).
    Customer,
    /// A saved address (`MailingAddress`).
    MailingAddress,
    /// A cart (`Cart`).
    Cart,
    /// A product's image (`ProductImage`).
    ProductImage,
    /// A supplier (`Supplier`).
    Supplier,
    /// A supplier import job (`SupplierImport`).
    SupplierImport,
    /// A product review (`Review`).
    Review,
    /// A watchdog's watch (`Watch`).
    Watch,
}

impl NodeType {
    const ALL: [NodeType; 12] = [
        Self::Watch,
        Self::Review,
        Self::ProductImage,
        Self::Supplier,
        Self::SupplierImport,
        Self::Cart,
        Self::Product,
        Self::ProductVariant,
        Self::Category,
        Self::Brand,
        Self::Customer,
        Self::MailingAddress,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::Product => "Product",
            Self::ProductVariant => "ProductVariant",
            Self::Category => "Category",
            Self::Brand => "Brand",
            Self::Customer => "Customer",
            Self::MailingAddress => "MailingAddress",
            Self::Cart => "Cart",
            Self::ProductImage => "ProductImage",
            Self::Supplier => "Supplier",
            Self::SupplierImport => "SupplierImport",
            Self::Review => "Review",
            Self::Watch => "Watch",
        }
    }
}

/// Encodes a database id of the given type as an opaque global ID.
pub fn encode(node_type: NodeType, id: i64) -> async_graphql::ID {
    let (name, mut digits) = (node_type.name(), itoa::Buffer::new());
    let digits = digits.format(id);
    let mut plain = Vec::with_capacity(name.len() + 1 + digits.len());
    plain.extend_from_slice(name.as_bytes());
    plain.push(b':');
    plain.extend_from_slice(digits.as_bytes());
    async_graphql::ID(URL_SAFE_NO_PAD.encode(plain))
}

/// Encodes a UUID-keyed object (a cart) as an opaque global ID.
pub fn encode_uuid(node_type: NodeType, id: uuid::Uuid) -> async_graphql::ID {
    async_graphql::ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", node_type.name())))
}

/// Decodes the global ID of a UUID-keyed object of `expected` type.
pub fn decode_uuid_as(expected: NodeType, id: &str) -> async_graphql::Result<uuid::Uuid> {
    let malformed = || {
        api_error(
            ErrorCode::BadUserInput,
            format!("\"{id}\" is not the ID of a {}", expected.name()),
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(id).map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let raw = text
        .strip_prefix(expected.name())
        .and_then(|rest| rest.strip_prefix(':'))
        .ok_or_else(malformed)?;
    raw.parse().map_err(|_| malformed())
}

/// Decodes any global ID; a malformed one is a `BAD_USER_INPUT` error.
pub fn decode(id: &str) -> async_graphql::Result<(NodeType, i64)> {
    let malformed = || {
        api_error(
            ErrorCode::BadUserInput,
            format!("\"{id}\" is not a valid ID"),
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(id).map_err(|_| malformed())?;
    let text = std::str::from_utf8(&bytes).map_err(|_| malformed())?;
    let (name, raw) = text.split_once(':').ok_or_else(malformed)?;
    let node_type = NodeType::ALL
        .into_iter()
        .find(|t| t.name() == name)
        .ok_or_else(malformed)?;
    let id = raw
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(malformed)?;
    Ok((node_type, id))
}

/// Decodes a global ID that must be of one type.
pub fn decode_as(expected: NodeType, id: &str) -> async_graphql::Result<i64> {
    match decode(id)? {
        (node_type, raw) if node_type == expected => Ok(raw),
        _ => Err(api_error(
            ErrorCode::BadUserInput,
            format!("\"{id}\" is not the ID of a {}", expected.name()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let id = encode(NodeType::ProductVariant, 42);
        assert_eq!(decode(&id).unwrap(), (NodeType::ProductVariant, 42));
        assert_eq!(decode_as(NodeType::ProductVariant, &id).unwrap(), 42);
        // base64url("Product:42"): IDs clients stored stay valid.
        assert_eq!(encode(NodeType::Product, 42).0, "UHJvZHVjdDo0Mg");
    }

    #[test]
    fn rejects_malformed_and_mistyped_ids() {
        for bad in [
            "",
            "!!!",
            "UHJvZHVjdA",
            &URL_SAFE_NO_PAD.encode("Product:-1"),
            &URL_SAFE_NO_PAD.encode("Order:1"),
        ] {
            assert!(decode(bad).is_err(), "{bad} should be rejected");
        }
        assert!(decode_as(NodeType::Brand, &encode(NodeType::Product, 1)).is_err());
    }

    #[test]
    fn uuid_ids_round_trip() {
        let uuid = uuid::Uuid::new_v4();
        assert_eq!(
            decode_uuid_as(NodeType::Cart, &encode_uuid(NodeType::Cart, uuid)).unwrap(),
            uuid
        );
        assert!(decode_uuid_as(NodeType::Cart, &encode(NodeType::Product, 1)).is_err());
    }
}
