//! Dates for Czech readers: `21. 11. 2026 14:05` in Prague time (CET, CEST in summer), and
//! delivery days: "v pátek 4. 12.".

/// Formats an RFC 3339 UTC timestamp (`2026-11-21T13:05:00.123Z`) in Prague time; text that is
/// not such a timestamp is returned as it is.
pub fn prague(timestamp: &str) -> String {
    parse(timestamp).map_or_else(
        || timestamp.to_owned(),
        |(y, m, d, hour, minute)| {
            let (y, m, d, hour) = add_hours(y, m, d, hour, prague_offset_hours(y, m, d, hour));
            format!("{d}. {m}. {y} {hour:02}:{minute:02}")
        },
    )
}

/// A day as a delivery promise says it: `2026-12-04` → "v pátek 4. 12."; `None` for text that
/// is not such a date.
pub fn delivery_day(date: &str) -> Option<String> {
    const ON: [&str; 7] = [
        "v neděli",
        "v pondělí",
        "v úterý",
        "ve středu",
        "ve čtvrtek",
        "v pátek",
        "v sobotu",
    ];
    let number = |range: std::ops::Range<usize>| date.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if date.len() != 10 || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(format!("{} {d}. {m}.", ON[weekday(y, m, d) as usize]))
}

fn parse(t: &str) -> Option<(i64, i64, i64, i64, i64)> {
    let number = |range: std::ops::Range<usize>| t.get(range)?.parse::<i64>().ok();
    Some((
        number(0..4)?,
        number(5..7)?,
        number(8..10)?,
        number(11..13)?,
        number(14..16)?,
    ))
}

/// Hours Prague is ahead of UTC at the given UTC date and hour: 2 in EU summer time (from
/// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October), else 1.
/// The one place the rule is written: the server's delivery calendar uses it too.
pub fn prague_offset_hours(y: i64, m: i64, d: i64, hour: i64) -> i64 {
    let after = |month: i64| {
        let last_sunday = 31 - weekday(y, month, 31);
        (m, d, hour) >= (month, last_sunday, 1)
    };
    if after(3) && !after(10) { 2 } else { 1 }
}

/// Day of the week, 0 = Sunday (Sakamoto's method).
pub fn weekday(y: i64, m: i64, d: i64) -> i64 {
    const T: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    (y + y / 4 - y / 100 + y / 400 + T[(m - 1) as usize] + d) % 7
}

fn add_hours(y: i64, m: i64, d: i64, hour: i64, hours: i64) -> (i64, i64, i64, i64) {
    let hour = hour + hours;
    if hour < 24 {
        return (y, m, d, hour);
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    match (d + 1 > days[(m - 1) as usize], m == 12) {
        (false, _) => (y, m, d + 1, hour - 24),
        (true, false) => (y, m + 1, 1, hour - 24),
        (true, true) => (y + 1, 1, 1, hour - 24),
    }
}

#[cfg(test)]
mod tests {
    use super::{delivery_day, prague};

    #[test]
    fn delivery_days_in_czech() {
        assert_eq!(
            delivery_day("2026-12-04").as_deref(),
            Some("v pátek 4. 12.")
        );
        assert_eq!(
            delivery_day("2026-12-09").as_deref(),
            Some("ve středu 9. 12.")
        );
        assert_eq!(
            delivery_day("2027-01-03").as_deref(),
            Some("v neděli 3. 1.")
        );
        assert_eq!(delivery_day("zítra"), None);
        assert_eq!(delivery_day("2026-13-01"), None);
    }

    #[test]
    fn winter_summer_and_midnight() {
        assert_eq!(prague("2026-11-21T13:05:09.5Z"), "21. 11. 2026 14:05");
        assert_eq!(prague("2026-07-01T10:00:00Z"), "1. 7. 2026 12:00");
        assert_eq!(prague("2026-12-31T23:30:00Z"), "1. 1. 2027 00:30");
        // 2026: summer time from 29 March, back on 25 October.
        assert_eq!(prague("2026-03-29T00:59:00Z"), "29. 3. 2026 01:59");
        assert_eq!(prague("2026-03-29T01:00:00Z"), "29. 3. 2026 03:00");
        assert_eq!(prague("2026-10-25T00:30:00Z"), "25. 10. 2026 02:30");
        assert_eq!(prague("2026-10-25T01:30:00Z"), "25. 10. 2026 02:30");
        assert_eq!(prague("not a date"), "not a date");
    }
}
