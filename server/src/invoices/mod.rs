//! Czech tax documents: the invoice (faktura – daňový doklad) or simplified document of every
//! order paid in full, and the credit note (opravný daňový doklad) of every refund, numbered
//! without gaps per year, as PDF with Czech fonts, e-mailed as a link and listed on the order.
//!
//! Sits above orders and payments: it reads what they recorded and never changes it.

pub(crate) mod document;
pub(crate) mod graphql;
pub(crate) mod pdf;
pub mod service;
pub(crate) mod store;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::shop::Seller;
use document::Party;

/// The seller's particulars and where the fonts are.
#[derive(Debug, Clone)]
pub struct InvoiceSettings {
    pub(crate) seller: Party,
    font_dir: PathBuf,
    public_url: String,
    fonts: Arc<OnceLock<Option<pdf::Fonts>>>,
}

impl InvoiceSettings {
    /// The seller as printed on every document (`SELLER_*`), the fonts' directory
    /// (`INVOICE_FONT_DIR`) and the shop's public URL for links.
    pub fn new(seller: Seller, font_dir: PathBuf, public_url: &str) -> Self {
        Self {
            seller: Party {
                name: seller.name,
                address: vec![seller.street, seller.city],
                ico: Some(seller.ico),
                dic: seller.dic,
                note: seller.register,
            },
            font_dir,
            public_url: public_url.trim_end_matches('/').to_owned(),
            fonts: Arc::default(),
        }
    }

    /// The address of a document's PDF, with its key.
    pub(crate) fn link(&self, number: &str, key: &str) -> String {
        format!("{}{}", self.public_url, path(number, key))
    }

    /// The fonts, read once; `None` (and a logged error) when they cannot be read.
    pub(crate) fn fonts(&self) -> Option<&pdf::Fonts> {
        self.fonts
            .get_or_init(|| match pdf::Fonts::load(&self.font_dir) {
                Ok(fonts) => Some(fonts),
                Err(error) => {
                    tracing::error!(%error, dir = %self.font_dir.display(), "cannot read the fonts of tax documents");
                    None
                }
            })
            .as_ref()
    }
}

/// The path of a document's PDF, with its key.
pub(crate) fn path(number: &str, key: &str) -> String {
    format!("/doklady/{number}.pdf?klic={key}")
}
