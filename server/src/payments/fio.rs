//! Fio banka's API: the shop's new account movements since the last call (the bank keeps the
//! cursor). The bank allows one call per 30 s per token and answers 409 to more.

use serde_json::Value;

/// A movement on the shop's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Movement {
    /// The bank's id of the movement: the key that keeps it from being counted twice.
    pub id: String,
    /// Signed amount in haléře (incoming positive).
    pub amount: i64,
    /// Currency code.
    pub currency: String,
    /// The variable symbol, as the payer typed it.
    pub variable_symbol: Option<String>,
    /// The payer's account, `number/bank`.
    pub counter_account: Option<String>,
    /// The payer's name.
    pub counter_name: Option<String>,
    /// The payer's message.
    pub message: Option<String>,
}

/// Why the bank gave no movements.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FioError {
    /// Called again within 30 s (HTTP 409): try later.
    #[error("Fio asks to wait before the next call")]
    TooSoon,
    /// Unreachable or an unexpected answer.
    #[error("Fio failed: {0}")]
    Failed(String),
}

/// The new movements of the account of `token`, from the API at `base_url`
/// (`https://fioapi.fio.cz`).
pub(crate) async fn new_movements(
    http: &reqwest::Client,
    base_url: &str,
    token: &str,
) -> Result<Vec<Movement>, FioError> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(FioError::Failed("the token is not a Fio token".into()));
    }
    let url = format!(
        "{}/v1/rest/last/{token}/transactions.json",
        base_url.trim_end_matches('/')
    );
    let response = http
        .get(url)
        .send()
        .await
        .map_err(|e| FioError::Failed(e.without_url().to_string()))?;
    if response.status() == reqwest::StatusCode::CONFLICT {
        return Err(FioError::TooSoon);
    }
    if !response.status().is_success() {
        return Err(FioError::Failed(format!("HTTP {}", response.status())));
    }
    let statement: Value = response
        .json()
        .await
        .map_err(|e| FioError::Failed(e.without_url().to_string()))?;
    Ok(parse(&statement))
}

/// The movements of a statement; movements without an id or amount are skipped.
pub(crate) fn parse(statement: &Value) -> Vec<Movement> {
    let empty = Vec::new();
    let list = statement["accountStatement"]["transactionList"]["transaction"]
        .as_array()
        .unwrap_or(&empty);
    list.iter().filter_map(movement).collect()
}

/// Column `n` of a movement: `{"value": …, "name": …, "id": n}` or `null`.
fn column(movement: &Value, n: u32) -> Option<&Value> {
    let value = &movement[format!("column{n}")]["value"];
    (!value.is_null()).then_some(value)
}

fn text(movement: &Value, n: u32) -> Option<String> {
    match column(movement, n)? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn movement(m: &Value) -> Option<Movement> {
    let amount = column(m, 1)?.as_f64()?;
    let counter_account = match (text(m, 2), text(m, 3)) {
        (Some(account), Some(bank)) => Some(format!("{account}/{bank}")),
        (account, _) => account,
    };
    Some(Movement {
        id: text(m, 22)?,
        amount: (amount * 100.0).round() as i64,
        currency: text(m, 14).unwrap_or_else(|| "CZK".into()),
        variable_symbol: text(m, 5),
        counter_account,
        counter_name: text(m, 10),
        message: text(m, 16),
    })
}

#[cfg(test)]
// Amounts are written as crowns_haléř (`1_299_00` is 1 299 Kč).
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use serde_json::json;

    #[test]
    fn a_statement_gives_its_movements() {
        let statement = json!({ "accountStatement": { "transactionList": { "transaction": [
            { "column22": { "value": 26_000_000_001_i64, "name": "ID pohybu", "id": 22 },
              "column1": { "value": 1299.5, "name": "Objem", "id": 1 },
              "column14": { "value": "CZK", "name": "Měna", "id": 14 },
              "column5": { "value": "0002026000123", "name": "VS", "id": 5 },
              "column2": { "value": "123456789", "name": "Protiúčet", "id": 2 },
              "column3": { "value": "0800", "name": "Kód banky", "id": 3 },
              "column10": null, "column16": null },
            { "column22": null, "column1": { "value": 10.0 } },
            { "column22": { "value": 7 }, "column1": { "value": -50.0 }, "column14": null }
        ]}}});
        let movements = super::parse(&statement);
        assert_eq!(movements.len(), 2);
        assert_eq!(movements[0].id, "26000000001");
        assert_eq!(movements[0].amount, 1_299_50);
        assert_eq!(
            movements[0].variable_symbol.as_deref(),
            Some("0002026000123")
        );
        assert_eq!(
            movements[0].counter_account.as_deref(),
            Some("123456789/0800")
        );
        assert_eq!(movements[0].counter_name, None);
        assert_eq!(movements[1].amount, -50_00);
        assert_eq!(movements[1].currency, "CZK");
        assert!(super::parse(&json!({ "accountStatement": null })).is_empty());
    }
}
