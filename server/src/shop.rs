//! Who runs the shop: the company's particulars and how to reach it, from configuration. Tax
//! documents print them; the contact and legal pages and apps read them as `shop`.

use async_graphql::{Context, Object, SimpleObject};

/// The seller's particulars as configured (`SELLER_*`, `SHOP_EMAIL`, `SHOP_PHONE`).
#[derive(Debug, Clone)]
pub struct Seller {
    /// Obchodní firma.
    pub name: String,
    /// Street and number.
    pub street: String,
    /// Postal code and city.
    pub city: String,
    /// IČO.
    pub ico: String,
    /// DIČ (a VAT payer's).
    pub dic: Option<String>,
    /// The commercial register entry.
    pub register: Option<String>,
    /// The customer service's e-mail.
    pub email: String,
    /// The customer service's phone.
    pub phone: String,
}

/// The shop's public origin (`PUBLIC_URL`), for links in e-mails.
#[derive(Debug, Clone)]
pub struct PublicUrl(pub String);

/// The company behind the shop and how to reach it.
#[derive(SimpleObject)]
#[graphql(name = "Shop")]
struct ShopInfo {
    /// Obchodní firma, e.g. `Lípa s.r.o.`.
    company: String,
    /// Street and number of the registered office.
    street: String,
    /// Postal code and city.
    city: String,
    /// IČO.
    ico: String,
    /// DIČ, when the company is a VAT payer.
    dic: Option<String>,
    /// The commercial register entry.
    register: Option<String>,
    /// The customer service's e-mail.
    email: String,
    /// The customer service's phone.
    phone: String,
}

#[derive(Default)]
pub(crate) struct ShopQuery;

#[Object]
impl ShopQuery {
    /// The company behind the shop (for contact and legal pages and apps).
    async fn shop(&self, ctx: &Context<'_>) -> ShopInfo {
        let seller = ctx.data_unchecked::<Seller>().clone();
        ShopInfo {
            company: seller.name,
            street: seller.street,
            city: seller.city,
            ico: seller.ico,
            dic: seller.dic,
            register: seller.register,
            email: seller.email,
            phone: seller.phone,
        }
    }
}
