//! The shop's working calendar in Prague time: weekends, Czech public holidays (Easter included)
//! and the day a parcel arrives, from each carrier's cut-off time and transit days.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc, Weekday};

use super::ShippingMethod;

/// Prague's wall-clock time at `now` (CET, CEST in summer).
pub(crate) fn prague_time(now: DateTime<Utc>) -> NaiveDateTime {
    let utc = now.naive_utc();
    let offset = storefront::time::prague_offset_hours(
        i64::from(utc.year()),
        i64::from(utc.month()),
        i64::from(utc.day()),
        i64::from(utc.hour()),
    );
    utc + Duration::hours(offset)
}

/// Easter Sunday of `year` (Gregorian calendar; the anonymous algorithm of Meeus, Jones and
/// Butcher).
pub(crate) fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let (b, c) = (year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a real date")
}

/// Days off by Czech law (státní a ostatní svátky) with a fixed date: (month, day).
const FIXED_HOLIDAYS: [(u32, u32); 11] = [
    (1, 1),   // Den obnovy samostatného českého státu, Nový rok
    (5, 1),   // Svátek práce
    (5, 8),   // Den vítězství
    (7, 5),   // Cyril a Metoděj
    (7, 6),   // Jan Hus
    (9, 28),  // Den české státnosti
    (10, 28), // Vznik samostatného československého státu
    (11, 17), // Den boje za svobodu a demokracii
    (12, 24), // Štědrý den
    (12, 25), // 1. svátek vánoční
    (12, 26), // 2. svátek vánoční
];

/// Whether `day` is a Czech public holiday: the fixed ones, Good Friday and Easter Monday.
pub(crate) fn is_holiday(day: NaiveDate) -> bool {
    let easter = easter_sunday(day.year());
    FIXED_HOLIDAYS.contains(&(day.month(), day.day()))
        || day == easter - Duration::days(2)
        || day == easter + Duration::days(1)
}

/// Whether the warehouse and the carriers work on `day`.
pub(crate) fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(day)
}

/// The first working day after `day`.
fn next_working_day(day: NaiveDate) -> NaiveDate {
    let mut next = day + Duration::days(1);
    while !is_working_day(next) {
        next += Duration::days(1);
    }
    next
}

/// The day goods in stock, ordered at `now`, reach the shopper by `method`: they leave the same
/// working day when ordered before the carrier's cut-off (Prague time), else the next working
/// day, and travel the carrier's transit days (working days only).
pub(crate) fn delivery_date(method: ShippingMethod, now: DateTime<Utc>) -> NaiveDate {
    let local = prague_time(now);
    let today = local.date();
    let dispatch = if is_working_day(today) && local.hour() < method.cutoff_hour() {
        today
    } else {
        next_working_day(today)
    };
    (0..method.transit_days()).fold(dispatch, |day, _| next_working_day(day))
}

/// The earliest day goods in stock ordered at `now` arrive by any carrier.
pub(crate) fn earliest_delivery(now: DateTime<Utc>) -> NaiveDate {
    ShippingMethod::carriers()
        .map(|method| delivery_date(method, now))
        .min()
        .unwrap_or_else(|| prague_time(now).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// `y-m-d hh:mm` Prague time, as UTC.
    fn prague(y: i32, m: u32, d: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        let local = date(y, m, d).and_hms_opt(hour, minute, 0).unwrap();
        let offset = if (4..=10).contains(&m) { 2 } else { 1 };
        (local - Duration::hours(offset)).and_utc()
    }

    #[test]
    fn easter_of_known_years() {
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        assert_eq!(easter_sunday(2025), date(2025, 4, 20));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
        assert_eq!(easter_sunday(2038), date(2038, 4, 25));
    }

    #[test]
    fn holidays_and_weekends() {
        assert!(is_holiday(date(2026, 4, 3)), "Good Friday 2026");
        assert!(is_holiday(date(2026, 4, 6)), "Easter Monday 2026");
        assert!(!is_holiday(date(2026, 4, 7)));
        assert!(is_holiday(date(2026, 11, 17)));
        assert!(is_holiday(date(2026, 12, 24)));
        assert!(!is_working_day(date(2026, 12, 5)), "a Saturday");
        assert!(is_working_day(date(2026, 12, 4)));
    }

    #[test]
    fn before_and_after_the_cut_off() {
        // Thursday 3 December 2026.
        let morning = prague(2026, 12, 3, 9, 0);
        assert_eq!(
            delivery_date(ShippingMethod::Ppl, morning),
            date(2026, 12, 4)
        );
        let evening = prague(2026, 12, 3, 15, 0);
        assert_eq!(
            delivery_date(ShippingMethod::Ppl, evening),
            date(2026, 12, 7),
            "leaves Friday, arrives Monday"
        );
        assert_eq!(
            delivery_date(ShippingMethod::PersonalPickup, morning),
            date(2026, 12, 3)
        );
    }

    #[test]
    fn weekends_and_holidays_are_skipped() {
        // Friday 4 December after the cut-off: leaves Monday, arrives Tuesday.
        let friday = prague(2026, 12, 4, 16, 0);
        assert_eq!(
            delivery_date(ShippingMethod::Zasilkovna, friday),
            date(2026, 12, 8)
        );
        // Wednesday 23 December 2026 evening: 24–27 December are off, 28 is a Monday.
        let christmas = prague(2026, 12, 23, 18, 0);
        assert_eq!(
            delivery_date(ShippingMethod::Ppl, christmas),
            date(2026, 12, 29)
        );
        // Maundy Thursday 2 April 2026 evening: Good Friday, the weekend and Easter Monday off.
        let easter = prague(2026, 4, 2, 20, 0);
        assert_eq!(
            delivery_date(ShippingMethod::CeskaPosta, easter),
            date(2026, 4, 8)
        );
    }

    #[test]
    fn the_cut_off_is_prague_time_in_summer_and_winter() {
        // 14:30 in Prague is 12:30 UTC in July, 13:30 UTC in January: after Zásilkovna's 14:00.
        let july = prague(2026, 7, 1, 14, 30);
        assert_eq!(
            delivery_date(ShippingMethod::Zasilkovna, july),
            date(2026, 7, 3)
        );
        let january = prague(2026, 1, 7, 13, 59);
        assert_eq!(
            delivery_date(ShippingMethod::Zasilkovna, january),
            date(2026, 1, 8)
        );
    }
}
