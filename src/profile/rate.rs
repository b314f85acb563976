//! `Rate`: parsing and printing request rates such as `"1/s"`, `"30/m"` or `"1/5s"`.
//!
//! Grammar: `<N>/<unit>` or `<N>/<k><unit>`, with `N ≥ 1`, `k ≥ 1` and unit `s`, `m` or `h`.

use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

use super::Rate;

/// Why a rate string did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    #[error(r#"expected "<N>/<period>", e.g. "1/s", "30/m" or "1/5s""#)]
    Format,
    #[error("the request count must be a whole number of at least 1")]
    Count,
    #[error(r#"the period must be "s", "m" or "h", optionally preceded by a whole number of at least 1"#)]
    Period,
}

impl Rate {
    /// Parses `"<N>/s"`, `"<N>/m"`, `"<N>/h"` or `"<N>/<k>s"` (likewise `m`, `h`).
    pub fn parse(s: &str) -> Result<Rate, RateError> {
        let (count, period) = s.split_once('/').ok_or(RateError::Format)?;
        let requests = parse_positive(count).ok_or(RateError::Count)?;
        let unit_at = period.len().checked_sub(1).ok_or(RateError::Period)?;
        let (k, unit) = period.split_at_checked(unit_at).ok_or(RateError::Period)?;
        let unit_secs: u64 = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            _ => return Err(RateError::Period),
        };
        let k = if k.is_empty() {
            1
        } else {
            parse_positive(k).ok_or(RateError::Period)?.get()
        };
        Ok(Rate {
            requests,
            per: Duration::from_secs(u64::from(k) * unit_secs),
        })
    }

    /// The steady-state gap between two requests (`per / requests`).
    pub fn interval(&self) -> Duration {
        self.per / self.requests.get()
    }

    /// The governor quota for this rate: one request per interval, no bursts,
    /// so a host never sees two requests closer together than the interval.
    pub fn quota(&self) -> governor::Quota {
        governor::Quota::with_period(self.interval().max(Duration::from_nanos(1)))
            .unwrap_or_else(|| governor::Quota::per_second(self.requests))
    }
}

/// Digits only (no sign, no spaces), at least 1.
fn parse_positive(s: &str) -> Option<NonZeroU32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl Default for Rate {
    /// One request per second.
    fn default() -> Self {
        Rate {
            requests: NonZeroU32::MIN,
            per: Duration::from_secs(1),
        }
    }
}

impl FromStr for Rate {
    type Err = RateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rate::parse(s)
    }
}

impl fmt::Display for Rate {
    /// Prints the shortest form that parses back to the same rate (`"1/s"`, `"2/5m"`).
    /// A period that is not a whole number of seconds (only possible in code) prints
    /// as `"1 per 500ms"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.per.as_secs();
        if secs == 0 || self.per.subsec_nanos() != 0 {
            return write!(f, "{} per {:?}", self.requests, self.per);
        }
        let (k, unit) = if secs % 3600 == 0 {
            (secs / 3600, 'h')
        } else if secs % 60 == 0 {
            (secs / 60, 'm')
        } else {
            (secs, 's')
        };
        write!(f, "{}/", self.requests)?;
        if k != 1 {
            write!(f, "{k}")?;
        }
        write!(f, "{unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(requests: u32, secs: u64) -> Rate {
        Rate {
            requests: NonZeroU32::new(requests).unwrap(),
            per: Duration::from_secs(secs),
        }
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(Rate::parse("1/s"), Ok(rate(1, 1)));
        assert_eq!(Rate::parse("2/s"), Ok(rate(2, 1)));
        assert_eq!(Rate::parse("30/m"), Ok(rate(30, 60)));
        assert_eq!(Rate::parse("100/h"), Ok(rate(100, 3600)));
        assert_eq!(Rate::parse("1/5s"), Ok(rate(1, 5)));
        assert_eq!(Rate::parse("3/2m"), Ok(rate(3, 120)));
        assert_eq!(Rate::parse("1/2h"), Ok(rate(1, 7200)));
    }

    #[test]
    fn rejects_malformed_rates() {
        for (bad, why) in [
            ("", RateError::Format),
            ("1", RateError::Format),
            ("1s", RateError::Format),
            ("0/s", RateError::Count),
            ("-1/s", RateError::Count),
            ("+1/s", RateError::Count),
            ("/s", RateError::Count),
            ("a/s", RateError::Count),
            ("99999999999/s", RateError::Count),
            ("1/", RateError::Period),
            ("1/0s", RateError::Period),
            ("1/x", RateError::Period),
            ("1/sec", RateError::Period),
            ("1/ s", RateError::Period),
            ("1/5", RateError::Period),
            ("1/é", RateError::Period),
        ] {
            assert_eq!(Rate::parse(bad), Err(why), "{bad:?}");
        }
    }

    #[test]
    fn default_is_one_per_second() {
        assert_eq!(Rate::default(), rate(1, 1));
        assert_eq!(Rate::default().interval(), Duration::from_secs(1));
        assert_eq!(rate(4, 2).interval(), Duration::from_millis(500));
    }

    #[test]
    fn display_round_trips() {
        for s in ["1/s", "2/5s", "30/m", "1/90s", "1/2m", "5/h", "1/3h"] {
            let parsed = Rate::parse(s).unwrap();
            assert_eq!(parsed.to_string(), s);
            assert_eq!(parsed.to_string().parse::<Rate>(), Ok(parsed));
        }
        assert_eq!(Rate::parse("1/60s").unwrap().to_string(), "1/m");
    }
}
