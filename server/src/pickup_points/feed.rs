//! Reading Packeta's branch feed (`branch.json`): `{"data": [...]}` or `{"data": {"<id>": …}}`
//! with `id`, `name`, `street`, `city`, `zip`, `country`, `status.statusId`, `latitude`,
//! `longitude` and `openingHours.compactShort`. The feed is outside input: every field is
//! checked and cut to size, branches outside the Czech Republic or without a usable position are
//! left out.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::PickupPoint;

/// A branch and whether it is open for parcels now.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Branch {
    pub point: PickupPoint,
    pub active: bool,
}

/// Most branches a feed may hold (Packeta has about 10 000 in the Czech Republic).
const MAX_BRANCHES: usize = 100_000;

#[derive(Deserialize)]
struct Feed {
    data: Entries,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Entries {
    List(Vec<Raw>),
    Map(BTreeMap<String, Raw>),
}

/// A number Packeta may write as a number or as text.
#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Float(f64),
    Text(String),
}

impl Number {
    fn value(&self) -> Option<f64> {
        match self {
            Self::Float(v) => Some(*v),
            Self::Text(t) => t.trim().replace(',', ".").parse().ok(),
        }
        .filter(|v: &f64| v.is_finite())
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Number(u64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    id: Id,
    #[serde(default)]
    name: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    zip: String,
    #[serde(default)]
    country: String,
    status: Option<Status>,
    latitude: Option<Number>,
    longitude: Option<Number>,
    opening_hours: Option<OpeningHours>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    status_id: Option<Id>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpeningHours {
    compact_short: Option<String>,
}

/// The Czech branches of a feed; `Err` with the reason (in Czech) when it is not such a feed.
pub(crate) fn parse(bytes: &[u8]) -> Result<Vec<Branch>, String> {
    let feed: Feed = serde_json::from_slice(bytes)
        .map_err(|e| format!("Feed výdejních míst nelze přečíst: {e}"))?;
    let raw: Vec<Raw> = match feed.data {
        Entries::List(list) => list,
        Entries::Map(map) => map.into_values().collect(),
    };
    if raw.len() > MAX_BRANCHES {
        return Err(format!("Feed má víc než {MAX_BRANCHES} výdejních míst."));
    }
    Ok(raw.into_iter().filter_map(branch).collect())
}

fn branch(raw: Raw) -> Option<Branch> {
    let id = match raw.id {
        Id::Number(n) => n.to_string(),
        Id::Text(t) => t.trim().to_owned(),
    };
    let valid_id =
        !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_alphanumeric());
    let latitude = raw.latitude.as_ref().and_then(Number::value)?;
    let longitude = raw.longitude.as_ref().and_then(Number::value)?;
    let in_range = (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude);
    let name = clean(&raw.name, 200);
    let city = clean(&raw.city, 100);
    if !valid_id
        || !in_range
        || name.is_empty()
        || city.is_empty()
        || !raw.country.eq_ignore_ascii_case("cz")
    {
        return None;
    }
    // Status 1 is a branch taking parcels; others are closed for now (holiday, full, ended).
    let active = match raw.status.and_then(|s| s.status_id) {
        Some(Id::Number(status)) => status == 1,
        Some(Id::Text(status)) => status.trim() == "1",
        None => false,
    };
    Some(Branch {
        point: PickupPoint {
            id,
            name,
            street: clean(&raw.street, 200),
            city,
            zip: clean(&raw.zip, 10),
            latitude,
            longitude,
            opening_hours: raw
                .opening_hours
                .and_then(|h| h.compact_short)
                .map(|h| clean(&h, 500))
                .unwrap_or_default(),
        },
        active,
    })
}

/// One line of plain text: control characters and tags' angle brackets dropped, white space
/// collapsed, at most `max` characters.
fn clean(text: &str, max: usize) -> String {
    let plain: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| !matches!(c, '<' | '>'))
        .collect();
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(max)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_list_and_a_map_and_checks_every_field() {
        let feed = r#"{"data": [
            {"id": "1234", "name": "Trafika U Nádraží", "street": "Nádražní 5", "city": "Brno",
             "zip": "602 00", "country": "cz", "status": {"statusId": "1"},
             "latitude": "49.1905", "longitude": "16.6127",
             "openingHours": {"compactShort": "Po–Pá 7:00–19:00"}},
            {"id": 77, "name": "Z-BOX Ostrava", "city": "Ostrava", "country": "cz",
             "status": {"statusId": 2}, "latitude": 49.83, "longitude": 18.29},
            {"id": "999", "name": "Bratislava", "city": "Bratislava", "country": "sk",
             "status": {"statusId": "1"}, "latitude": "48.1", "longitude": "17.1"},
            {"id": "1; DROP", "name": "Zlý", "city": "Praha", "country": "cz",
             "latitude": "50", "longitude": "14"},
            {"id": "5", "name": "<script>x</script>Bez polohy", "city": "Praha", "country": "cz"}
        ]}"#;
        let branches = parse(feed.as_bytes()).unwrap();
        assert_eq!(branches.len(), 2, "{branches:?}");
        assert_eq!(branches[0].point.zip, "602 00");
        assert!(branches[0].active);
        assert_eq!(branches[0].point.opening_hours, "Po–Pá 7:00–19:00");
        assert_eq!(branches[1].point.id, "77");
        assert!(!branches[1].active, "status 2 is closed");

        let map = r#"{"data": {"10": {"id": "10", "name": "Praha 1", "city": "Praha",
            "country": "CZ", "status": {"statusId": "1"}, "latitude": 50.08, "longitude": 14.42}}}"#;
        assert_eq!(parse(map.as_bytes()).unwrap()[0].point.name, "Praha 1");
        assert!(parse(b"<html>").is_err());
        assert!(parse(br#"{"data": 5}"#).is_err());
    }

    #[test]
    fn cleans_text() {
        assert_eq!(clean(" a\n\t <b>b</b> ", 100), "a bb/b");
        assert_eq!(clean("žluťoučký kůň", 5), "žluťo");
    }
}
