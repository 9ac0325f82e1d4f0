//! The built-in assistant: answers from the catalog itself, with the same tools as the model,
//! when no model is configured or the model fails. Czech first, English when asked in English.

use serde_json::json;
use sqlx::PgPool;

use super::tools::{self, Caller, Output, ToolError};
use super::understand::{Category, Request, Vocabulary, fold, understand};
use crate::catalog::store::{self as catalog, ProductCard};
use crate::money::Money;

/// An answer: text, the products it is about, and what was done to find them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Answer {
    pub text: String,
    pub products: Vec<ProductCard>,
    pub activity: Vec<String>,
}

/// The catalog's words.
pub(crate) async fn vocabulary(pool: &PgPool) -> sqlx::Result<Vocabulary> {
    let (categories, brands, values) = catalog::vocabulary(pool).await?;
    Ok(Vocabulary {
        categories: categories
            .into_iter()
            .map(|(slug, name, depth, parent)| {
                let words = fold(&name);
                Category {
                    slug,
                    name,
                    depth,
                    parent,
                    words,
                }
            })
            .collect(),
        brands: brands
            .into_iter()
            .map(|(slug, name)| {
                let words = fold(&name);
                (slug, name, words)
            })
            .collect(),
        values: values
            .into_iter()
            .map(|(attribute, slug, name)| {
                let words = fold(&name);
                (attribute, slug, name, words)
            })
            .collect(),
    })
}

/// Answers `message` for `caller`.
pub(crate) async fn answer(
    pool: &PgPool,
    caller: Caller,
    message: &str,
) -> Result<Answer, ToolError> {
    let vocabulary = vocabulary(pool).await?;
    let request = understand(message, &vocabulary);
    let en = request.english;
    if let Some(number) = &request.order {
        return order(pool, caller, number.as_deref(), en).await;
    }
    if request.compare && request.brands.len() >= 2 {
        return compare(pool, &request).await;
    }
    if !request.narrows() {
        return Ok(ask_back(&vocabulary, &request));
    }
    let arguments = arguments(&request);
    let filter = tools::search_filter(pool, &arguments).await?;
    let found = tools::search(pool, &filter, &arguments).await?;
    let activity = vec![describe(&request)];
    if found.products.is_empty() {
        let text = if en {
            format!(
                "I found nothing for {}. Try a higher budget or fewer conditions.",
                describe(&request)
            )
        } else {
            format!(
                "Pro {} jsem nic nenašel. Zkuste vyšší rozpočet nebo méně podmínek.",
                describe(&request)
            )
        };
        return Ok(Answer {
            text,
            activity,
            ..Answer::default()
        });
    }
    let mut text = if en {
        format!("Here is what I found for {}:", describe(&request))
    } else {
        format!(
            "Pro {} mám {}:",
            describe(&request),
            count(
                found.products.len(),
                ["tento produkt", "tyto produkty", "těchto"]
            )
        )
    };
    for card in &found.products {
        text.push_str(&format!(
            "\n• {} – {}{}",
            card.name,
            price(card),
            stock(card, en)
        ));
    }
    Ok(Answer {
        text,
        products: found.products,
        activity,
    })
}

/// The search arguments a request stands for.
fn arguments(request: &Request) -> serde_json::Value {
    let mut arguments = json!({ "limit": 5, "in_stock": request.in_stock });
    if let Some((slug, _)) = &request.category {
        arguments["category"] = json!(slug);
    }
    if let Some(brand) = request.brands.first() {
        arguments["brand"] = json!(brand.0);
    }
    if let Some(max) = request.price_max {
        arguments["price_max"] = json!(max as f64 / 100.0);
        arguments["sort"] = json!("price_desc");
    }
    if let Some(min) = request.price_min {
        arguments["price_min"] = json!(min as f64 / 100.0);
    }
    if !request.values.is_empty() {
        arguments["attributes"] = json!(
            request
                .values
                .iter()
                .map(|(a, v, _)| json!({ "attribute": a, "value": v }))
                .collect::<Vec<_>>()
        );
    }
    if request.category.is_none() && request.brands.is_empty() && !request.rest.is_empty() {
        arguments["query"] = json!(request.rest.join(" "));
    }
    arguments
}

/// "kancelářské židle do 3 000 Kč, černá, skladem".
fn describe(r: &Request) -> String {
    let mut parts = Vec::new();
    match (&r.category, r.brands.first()) {
        (Some((_, name)), Some((_, brand))) => {
            parts.push(format!("{} {brand}", name.to_lowercase()))
        }
        (Some((_, name)), None) => parts.push(name.to_lowercase()),
        (None, Some((_, brand))) => parts.push(brand.clone()),
        (None, None) => parts.push(format!("„{}“", r.rest.join(" "))),
    }
    let crowns = |minor: i64| Money::czk(minor).to_string();
    match (r.price_min, r.price_max, r.english) {
        (Some(min), Some(max), false) => {
            parts.push(format!("od {} do {}", crowns(min), crowns(max)))
        }
        (Some(min), Some(max), true) => {
            parts.push(format!("from {} to {}", crowns(min), crowns(max)))
        }
        (None, Some(max), false) => parts.push(format!("do {}", crowns(max))),
        (None, Some(max), true) => parts.push(format!("up to {}", crowns(max))),
        (Some(min), None, false) => parts.push(format!("od {}", crowns(min))),
        (Some(min), None, true) => parts.push(format!("from {}", crowns(min))),
        (None, None, _) => {}
    }
    parts.extend(r.values.iter().map(|(_, _, name)| name.to_lowercase()));
    if r.in_stock {
        parts.push(if r.english {
            "in stock".into()
        } else {
            "skladem".into()
        });
    }
    parts.join(", ")
}

fn price(card: &ProductCard) -> String {
    Money::czk(card.price_min).to_string()
}

fn stock(card: &ProductCard, en: bool) -> &'static str {
    match (card.in_stock, en) {
        (true, false) => ", skladem",
        (false, false) => ", momentálně nedostupné",
        (true, true) => ", in stock",
        (false, true) => ", out of stock",
    }
}

/// "1 produkt", "3 produkty", "5 produktů": the Czech plural by count.
fn count(n: usize, forms: [&str; 3]) -> String {
    match n {
        1 => forms[0].to_owned(),
        2..=4 => forms[1].to_owned(),
        _ => forms[2].to_owned(),
    }
}

/// Two brands in one category (or overall), the best match of each side by side.
async fn compare(pool: &PgPool, request: &Request) -> Result<Answer, ToolError> {
    let en = request.english;
    let mut products = Vec::new();
    let mut lines = Vec::new();
    for (slug, name) in request.brands.iter().take(4) {
        let mut arguments = arguments(request);
        arguments["brand"] = json!(slug);
        arguments["limit"] = json!(1);
        let filter = tools::search_filter(pool, &arguments).await?;
        let Output {
            products: found, ..
        } = tools::search(pool, &filter, &arguments).await?;
        match found.into_iter().next() {
            Some(card) => {
                lines.push(format!(
                    "• {name}: {} – {}{}",
                    card.name,
                    price(&card),
                    stock(&card, en)
                ));
                products.push(card);
            }
            None if en => lines.push(format!("• {name}: nothing that fits")),
            None => lines.push(format!("• {name}: nic, co by odpovídalo")),
        }
    }
    let what = request
        .category
        .as_ref()
        .map(|(_, name)| name.to_lowercase())
        .unwrap_or_default();
    let mut text = if en {
        format!("Side by side ({what}):\n{}", lines.join("\n"))
    } else {
        format!("Srovnání ({what}):\n{}", lines.join("\n"))
    };
    if let [a, b] = products.as_slice() {
        let cheaper = if a.price_min <= b.price_min { a } else { b };
        text.push_str(&if en {
            format!(
                "\n{} is cheaper; both are real products of this shop, with live prices.",
                cheaper.name
            )
        } else {
            format!(
                "\nLevnější je {}. Rozhodněte podle výbavy v detailu produktu.",
                cheaper.name
            )
        });
    }
    Ok(Answer {
        text,
        products,
        activity: vec![describe(request)],
    })
}

async fn order(
    pool: &PgPool,
    caller: Caller,
    number: Option<&str>,
    en: bool,
) -> Result<Answer, ToolError> {
    let arguments = match number {
        Some(number) => json!({ "number": number }),
        None => json!({}),
    };
    let text = match tools::call(pool, caller, "order_status", &arguments).await {
        Ok(output) => {
            let status = output.data["status"].as_str().unwrap_or_default();
            let number = output.data["number"].as_str().unwrap_or_default();
            let tracking = output.data["tracking_number"].as_str();
            if en {
                format!("Order {number} is {}.{}", status.to_lowercase().replace('_', " "), tracking.map(|t| format!(" Tracking number: {t}.")).unwrap_or_default())
            } else {
                format!("Objednávka {number}: {}.{}", status_cs(status), tracking.map(|t| format!(" Číslo zásilky: {t}.")).unwrap_or_default())
            }
        }
        Err(ToolError::Refused(_)) if en => "I cannot find that order among yours. Sign in, or ask in the browser you ordered from.".into(),
        Err(ToolError::Refused(_)) => "Mezi vašimi objednávkami ji nevidím. Přihlaste se, nebo se zeptejte v prohlížeči, ve kterém jste objednávali.".into(),
        Err(error) => return Err(error),
    };
    Ok(Answer {
        text,
        activity: vec!["order".into()],
        ..Answer::default()
    })
}

fn status_cs(status: &str) -> &'static str {
    match status {
        "PENDING_PAYMENT" => "čeká na platbu",
        "PAID" => "zaplacena, připravujeme ji",
        "PROCESSING" => "připravujeme ji k odeslání",
        "SHIPPED" => "je na cestě",
        "DELIVERED" => "doručena",
        "CANCELLED" => "zrušena",
        "REFUNDED" | "PARTIALLY_REFUNDED" => "peníze vráceny",
        _ => "ve zpracování",
    }
}

/// Nothing to search by: asks what the shopper looks for, with the shop's departments.
fn ask_back(vocabulary: &Vocabulary, request: &Request) -> Answer {
    let departments: Vec<String> = vocabulary
        .categories
        .iter()
        .filter(|c| c.depth == 1)
        .take(6)
        .map(|c| c.name.to_lowercase())
        .collect();
    let budget = request.price_max.map(|max| Money::czk(max).to_string());
    let text = match (request.english, budget) {
        (true, Some(budget)) => format!(
            "What are you looking for up to {budget}? For example: {}.",
            departments.join(", ")
        ),
        (true, None) => format!(
            "What are you looking for? For example: {}.",
            departments.join(", ")
        ),
        (false, Some(budget)) => format!(
            "Co hledáte do {budget}? Například: {}.",
            departments.join(", ")
        ),
        (false, None) => format!("Co hledáte? Například: {}.", departments.join(", ")),
    };
    Answer {
        text,
        ..Answer::default()
    }
}
