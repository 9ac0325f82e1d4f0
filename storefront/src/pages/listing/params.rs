//! A listing's state in the URL: filters, sort and page, shareable and usable without JavaScript.
//!
//! `?znacka=bosch&znacka=eta&cena_od=500&cena_do=2000&skladem=1&p_barva=cerna&p_vykon_od=800
//!  &razeni=cena&po=<cursor>` (`pred=<cursor>` pages backwards).

use leptos_router::params::ParamsMap;

use crate::api::listing::{AttributeFilter, PriceFilter, ProductFilter, ProductSort, Variables};

/// Products on one listing page.
pub const PAGE_SIZE: i64 = 24;
/// The parameter with the page's number (`strana=2`), carried beside the cursor for titles.
pub const PAGE_KEY: &str = "strana";
/// Prefix of attribute parameters: `p_<slug>` (values), `p_<slug>_od` / `p_<slug>_do` (ranges).
const ATTRIBUTE_PREFIX: &str = "p_";

/// The sort orders offered, as (URL value, label).
pub const SORTS: [(&str, &str); 5] = [
    ("", "Doporučené"),
    ("cena", "Nejlevnější"),
    ("cena-sestupne", "Nejdražší"),
    ("nazev", "Podle názvu"),
    ("nejnovejsi", "Nejnovější"),
];

#[derive(Debug, Clone, PartialEq)]
pub struct ListingParams {
    pub brands: Vec<String>,
    /// Whole crowns.
    pub price_from: Option<i64>,
    pub price_to: Option<i64>,
    pub in_stock: bool,
    /// Select attributes: slug and chosen value slugs.
    pub values: Vec<(String, Vec<String>)>,
    /// Number attributes: slug, from, to.
    pub ranges: Vec<(String, Option<f64>, Option<f64>)>,
    pub sort: String,
    pub after: Option<String>,
    pub before: Option<String>,
    /// Which page of the listing this is (1 without a cursor), for its title.
    pub page_number: u32,
    /// What was put right in the URL, said to the shopper.
    pub notes: Vec<String>,
}

/// A value from the URL as a note quotes it: at most 20 characters.
fn shortened(value: &str) -> String {
    match value.char_indices().nth(20) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

impl Default for ListingParams {
    fn default() -> Self {
        Self {
            brands: Vec::new(),
            price_from: None,
            price_to: None,
            in_stock: false,
            values: Vec::new(),
            ranges: Vec::new(),
            sort: String::new(),
            after: None,
            before: None,
            page_number: 1,
            notes: Vec::new(),
        }
    }
}

impl ListingParams {
    /// Reads the URL's query. Values that make no sense are left out or put right, each with a
    /// note in Czech for the shopper ([`ListingParams::notes`]), rather than failing the page.
    pub fn from_query(query: &ParamsMap) -> Self {
        let mut notes = Vec::new();
        let mut crowns = |key: &str, label: &str| {
            let value = query.get(key)?;
            let digits: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            if digits.is_empty() {
                return None;
            }
            let parsed = digits.parse::<i64>().ok().filter(|v| *v >= 0);
            if parsed.is_none() {
                notes.push(format!(
                    "{label} musí být celé číslo v korunách, „{}“ jsme vynechali.",
                    shortened(&value)
                ));
            }
            parsed
        };
        let price_from = crowns("cena_od", "Cena od");
        let price_to = crowns("cena_do", "Cena do");
        let sort = query.get("razeni").unwrap_or_default();
        let mut params = Self {
            brands: query.get_all("znacka").unwrap_or_default(),
            price_from,
            price_to,
            in_stock: query.get("skladem").is_some_and(|v| v == "1"),
            sort: if SORTS.iter().any(|(key, _)| *key == sort) {
                sort
            } else {
                notes.push(format!(
                    "Řazení „{}“ neznáme, řadíme podle doporučení.",
                    shortened(&sort)
                ));
                String::new()
            },
            after: query.get("po").filter(|c| !c.is_empty()),
            before: query.get("pred").filter(|c| !c.is_empty()),
            ..Self::default()
        };
        for (key, value) in query {
            let Some(rest) = key.strip_prefix(ATTRIBUTE_PREFIX) else {
                continue;
            };
            let mut number = |v: &str| {
                if v.trim().is_empty() {
                    return None;
                }
                let parsed = v
                    .trim()
                    .replace(',', ".")
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite());
                if parsed.is_none() {
                    notes.push(format!("„{}“ není číslo, vynechali jsme ho.", shortened(v)));
                }
                parsed
            };
            if let Some(slug) = rest.strip_suffix("_od") {
                params.range_mut(slug).1 = number(value);
            } else if let Some(slug) = rest.strip_suffix("_do") {
                params.range_mut(slug).2 = number(value);
            } else if !value.is_empty() {
                match params.values.iter_mut().find(|(s, _)| s == rest) {
                    Some((_, values)) => values.push(value.to_owned()),
                    None => params
                        .values
                        .push((rest.to_owned(), vec![value.to_owned()])),
                }
            }
        }
        params
            .ranges
            .retain(|(_, from, to)| from.is_some() || to.is_some());
        if let (Some(from), Some(to)) = (params.price_from, params.price_to)
            && from > to
        {
            (params.price_from, params.price_to) = (Some(to), Some(from));
            notes.push(format!(
                "Cena od byla vyšší než cena do, hledáme od {to} do {from} Kč."
            ));
        }
        for (_, from, to) in &mut params.ranges {
            if let (Some(low), Some(high)) = (*from, *to)
                && low > high
            {
                (*from, *to) = (Some(high), Some(low));
                notes.push("Rozsah „od“ byl vyšší než „do“, hodnoty jsme prohodili.".into());
            }
        }
        params.page_number = match (&params.after, &params.before) {
            (None, None) => 1,
            _ => query
                .get(PAGE_KEY)
                .and_then(|n| n.parse().ok())
                .filter(|n| *n > 1)
                .unwrap_or(2),
        };
        params.notes = notes;
        params
    }

    /// The query pairs that address this page of the listing (cursor and number).
    pub fn page_pairs(&self) -> Vec<(String, String)> {
        let cursor = match (&self.after, &self.before) {
            (Some(after), _) => Some(("po".to_owned(), after.clone())),
            (None, Some(before)) => Some(("pred".to_owned(), before.clone())),
            (None, None) => None,
        };
        cursor
            .into_iter()
            .chain([(PAGE_KEY.to_owned(), self.page_number.to_string())])
            .collect()
    }

    /// How many filters are chosen (each brand, value and range counts once).
    pub fn active_filters(&self) -> usize {
        self.brands.len()
            + usize::from(self.price_from.is_some() || self.price_to.is_some())
            + usize::from(self.in_stock)
            + self.values.iter().map(|(_, v)| v.len()).sum::<usize>()
            + self.ranges.len()
    }

    fn range_mut(&mut self, slug: &str) -> &mut (String, Option<f64>, Option<f64>) {
        if let Some(index) = self.ranges.iter().position(|(s, _, _)| s == slug) {
            return &mut self.ranges[index];
        }
        self.ranges.push((slug.to_owned(), None, None));
        self.ranges.last_mut().expect("just pushed")
    }

    /// The GraphQL variables for a category page (`category`) or a search (`query`).
    pub fn variables(&self, category: Option<String>, query: Option<String>) -> Variables {
        let mut attributes: Vec<AttributeFilter> = self
            .values
            .iter()
            .map(|(slug, values)| AttributeFilter {
                slug: slug.clone(),
                values: Some(values.clone()),
                min: None,
                max: None,
            })
            .collect();
        attributes.extend(self.ranges.iter().map(|(slug, min, max)| AttributeFilter {
            slug: slug.clone(),
            values: None,
            min: *min,
            max: *max,
        }));
        let price = (self.price_from.is_some() || self.price_to.is_some()).then(|| PriceFilter {
            min: self.price_from.map(|v| v * 100),
            max: self.price_to.map(|v| v * 100),
        });
        let backwards = self.before.is_some();
        Variables {
            is_search: query.is_some(),
            category: category.clone().unwrap_or_default(),
            query: query.unwrap_or_default(),
            filter: Some(ProductFilter {
                category,
                brands: (!self.brands.is_empty()).then(|| self.brands.clone()),
                price,
                in_stock: self.in_stock.then_some(true),
                attributes: (!attributes.is_empty()).then_some(attributes),
            }),
            sort: match self.sort.as_str() {
                "cena" => ProductSort::PRICE_ASC,
                "cena-sestupne" => ProductSort::PRICE_DESC,
                "nazev" => ProductSort::NAME_ASC,
                "nejnovejsi" => ProductSort::NEWEST,
                _ => ProductSort::RELEVANCE,
            },
            first: (!backwards).then_some(PAGE_SIZE),
            after: if backwards { None } else { self.after.clone() },
            last: backwards.then_some(PAGE_SIZE),
            before: self.before.clone(),
        }
    }

    /// Query pairs of the filters (not sort or page), for links that keep them.
    pub fn filter_pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self
            .brands
            .iter()
            .map(|b| ("znacka".into(), b.clone()))
            .collect();
        pairs.extend(self.price_from.map(|v| ("cena_od".into(), v.to_string())));
        pairs.extend(self.price_to.map(|v| ("cena_do".into(), v.to_string())));
        if self.in_stock {
            pairs.push(("skladem".into(), "1".into()));
        }
        for (slug, values) in &self.values {
            pairs.extend(
                values
                    .iter()
                    .map(|v| (format!("{ATTRIBUTE_PREFIX}{slug}"), v.clone())),
            );
        }
        for (slug, from, to) in &self.ranges {
            pairs.extend(from.map(|v| (format!("{ATTRIBUTE_PREFIX}{slug}_od"), v.to_string())));
            pairs.extend(to.map(|v| (format!("{ATTRIBUTE_PREFIX}{slug}_do"), v.to_string())));
        }
        pairs
    }

    /// Whether a value of a select attribute is chosen.
    pub fn has_value(&self, slug: &str, value: &str) -> bool {
        self.values
            .iter()
            .any(|(s, values)| s == slug && values.iter().any(|v| v == value))
    }

    /// The chosen bound of a number attribute.
    pub fn range(&self, slug: &str) -> (Option<f64>, Option<f64>) {
        self.ranges
            .iter()
            .find(|(s, _, _)| s == slug)
            .map_or((None, None), |(_, from, to)| (*from, *to))
    }

    /// The name a number attribute's input carries.
    pub fn range_name(slug: &str, bound: &str) -> String {
        format!("{ATTRIBUTE_PREFIX}{slug}_{bound}")
    }

    /// The name a select attribute's checkbox carries.
    pub fn value_name(slug: &str) -> String {
        format!("{ATTRIBUTE_PREFIX}{slug}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&'static str, &str)]) -> ParamsMap {
        let mut map = ParamsMap::new();
        for (k, v) in pairs {
            map.insert(*k, (*v).to_owned());
        }
        map
    }

    #[test]
    fn reads_filters_from_the_url() {
        let params = ListingParams::from_query(&map(&[
            ("znacka", "eta"),
            ("znacka", "bosch"),
            ("cena_od", "500"),
            ("skladem", "1"),
            ("p_barva", "cerna"),
            ("p_vykon_od", "800"),
            ("razeni", "cena"),
            ("po", "abc"),
        ]));
        assert_eq!(params.brands, vec!["eta", "bosch"]);
        assert_eq!(params.price_from, Some(500));
        assert!(params.in_stock);
        assert_eq!(
            params.values,
            vec![("barva".to_owned(), vec!["cerna".to_owned()])]
        );
        assert_eq!(params.ranges, vec![("vykon".to_owned(), Some(800.0), None)]);
        let vars = params.variables(Some("elektro".into()), None);
        assert_eq!(vars.filter.unwrap().price.unwrap().min, Some(50_000));
        assert_eq!(vars.after.as_deref(), Some("abc"));
        assert_eq!(vars.first, Some(PAGE_SIZE));
    }

    #[test]
    fn leaves_out_nonsense_and_says_so() {
        let params = ListingParams::from_query(&map(&[
            ("cena_od", "-5"),
            ("razeni", "bogus"),
            ("p_vykon_od", "x"),
        ]));
        assert_eq!(params.notes.len(), 3, "{:?}", params.notes);
        assert!(params.notes[0].starts_with("Cena od musí být celé číslo"));
        assert_eq!(
            ListingParams {
                notes: Vec::new(),
                ..params
            },
            ListingParams::default()
        );
    }

    #[test]
    fn swaps_bounds_given_the_wrong_way_round() {
        let params = ListingParams::from_query(&map(&[
            ("cena_od", "2 000"),
            ("cena_do", "500"),
            ("p_vykon_od", "900"),
            ("p_vykon_do", "100"),
        ]));
        assert_eq!(
            (params.price_from, params.price_to),
            (Some(500), Some(2000))
        );
        assert_eq!(
            params.ranges,
            vec![("vykon".to_owned(), Some(100.0), Some(900.0))]
        );
        assert_eq!(params.notes.len(), 2);
        assert_eq!(params.active_filters(), 2);
    }

    #[test]
    fn empty_fields_of_a_submitted_form_are_no_filter() {
        let params = ListingParams::from_query(&map(&[("cena_od", ""), ("p_vykon_do", " ")]));
        assert_eq!(params, ListingParams::default());
    }

    #[test]
    fn paging_backwards_asks_for_the_last_items() {
        let params = ListingParams::from_query(&map(&[("pred", "xyz")]));
        let vars = params.variables(None, Some("židle".into()));
        assert!(vars.is_search);
        assert_eq!(
            (vars.first, vars.last, vars.before.as_deref()),
            (None, Some(PAGE_SIZE), Some("xyz"))
        );
    }
}
