//! QR Platba, the Czech banks' payment QR code: the SPAYD text, the shop's account as an IBAN,
//! and the code drawn as SVG (pages) or as an HTML table (e-mail). Plain values: no domain.

pub(crate) mod qr;
pub(crate) mod spayd;
