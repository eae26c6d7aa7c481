//! Kubernetes resource quantities ("100m", "0.5", "128Mi", "1e3") as whole
//! numbers, so fit and balance checks are integer arithmetic.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use thiserror::Error;

/// Why a quantity string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuantityError {
    #[error("quantity {0:?} is not a number with an optional suffix (100m, 1.5, 128Mi, 1e3)")]
    Malformed(String),
    #[error("quantity {0:?} is negative; requests and capacity cannot be")]
    Negative(String),
    #[error("quantity {0:?} is too large")]
    TooLarge(String),
}

/// CPU in millicores: "100m" → 100, "1" → 1000, "0.5" → 500.
pub fn cpu_millis(quantity: &Quantity) -> Result<i64, QuantityError> {
    scaled(&quantity.0, 3)
}

/// Memory (or any plain count) in units: "128Mi" → 134217728, "1G" → 10⁹.
pub fn units(quantity: &Quantity) -> Result<i64, QuantityError> {
    scaled(&quantity.0, 0)
}

/// `text` × 10^`scale`, rounded up as the API server's `MilliValue` and `Value`
/// do, so "0.0001" CPU asks for a whole millicore rather than nothing.
fn scaled(text: &str, scale: i32) -> Result<i64, QuantityError> {
    let malformed = || QuantityError::Malformed(text.to_string());
    let trimmed = text.trim();
    let (negative, unsigned) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let number_end = unsigned
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(unsigned.len());
    let (number, suffix) = unsigned.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return Err(malformed());
    }
    let (power_of_ten, power_of_1024) = suffix_powers(suffix).ok_or_else(malformed)?;
    let digits = whole.bytes().chain(fraction.bytes());
    let mut mantissa: u128 = 0;
    // i64 so that no exponent a string can spell overflows the sum.
    let fraction_digits = i64::try_from(fraction.len()).map_err(|_| malformed())?;
    let mut exponent = i64::from(power_of_ten) + i64::from(scale) - fraction_digits;
    for digit in digits {
        // Digits beyond what u128 holds only shift the value by a power of ten.
        if mantissa > u128::MAX / 100 {
            exponent += 1;
            continue;
        }
        mantissa = mantissa * 10 + u128::from(digit - b'0');
    }
    if mantissa == 0 {
        return Ok(0);
    }
    if negative {
        return Err(QuantityError::Negative(text.to_string()));
    }
    let too_large = || QuantityError::TooLarge(text.to_string());
    let mut value = mantissa;
    for _ in 0..power_of_1024 {
        value = value.checked_mul(1024).ok_or_else(too_large)?;
    }
    if exponent >= 0 {
        for _ in 0..exponent {
            value = value.checked_mul(10).ok_or_else(too_large)?;
        }
    } else {
        let divisor = u32::try_from(exponent.unsigned_abs())
            .ok()
            .and_then(|power| 10u128.checked_pow(power));
        value = match divisor {
            Some(divisor) => value.div_ceil(divisor),
            None => 1,
        };
    }
    i64::try_from(value).map_err(|_| too_large())
}

/// The decimal exponent and the number of 1024 factors a suffix stands for;
/// `None` for a suffix Kubernetes does not know.
fn suffix_powers(suffix: &str) -> Option<(i32, u32)> {
    let powers = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 1),
        "Mi" => (0, 2),
        "Gi" => (0, 3),
        "Ti" => (0, 4),
        "Pi" => (0, 5),
        "Ei" => (0, 6),
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (exponent.parse().ok()?, 0)
        }
    };
    Some(powers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpu(text: &str) -> Result<i64, QuantityError> {
        cpu_millis(&Quantity(text.into()))
    }

    fn memory(text: &str) -> Result<i64, QuantityError> {
        units(&Quantity(text.into()))
    }

    #[test]
    fn cpu_reads_millicores_cores_and_fractions() {
        assert_eq!(cpu("100m"), Ok(100));
        assert_eq!(cpu("1"), Ok(1000));
        assert_eq!(cpu("0.5"), Ok(500));
        assert_eq!(cpu(".25"), Ok(250));
        assert_eq!(cpu("2."), Ok(2000));
        assert_eq!(cpu("16"), Ok(16_000));
        assert_eq!(cpu("+1"), Ok(1000));
        assert_eq!(cpu("0"), Ok(0));
        assert_eq!(cpu("-0"), Ok(0));
    }

    #[test]
    fn cpu_rounds_a_sliver_up_to_a_whole_millicore() {
        assert_eq!(cpu("0.0001"), Ok(1));
        assert_eq!(cpu("1500u"), Ok(2));
        assert_eq!(cpu("1n"), Ok(1));
    }

    #[test]
    fn memory_reads_binary_and_decimal_suffixes_and_exponents() {
        assert_eq!(memory("128Mi"), Ok(128 * 1024 * 1024));
        assert_eq!(memory("64Gi"), Ok(64 << 30));
        assert_eq!(memory("1Ki"), Ok(1024));
        assert_eq!(memory("1G"), Ok(1_000_000_000));
        assert_eq!(memory("1k"), Ok(1000));
        assert_eq!(memory("1e3"), Ok(1000));
        assert_eq!(memory("1E3"), Ok(1000));
        assert_eq!(memory("15e-1"), Ok(2));
        assert_eq!(memory("1.5Gi"), Ok(1_610_612_736));
        assert_eq!(memory("1E"), Ok(1_000_000_000_000_000_000));
        assert_eq!(memory("500"), Ok(500));
        assert_eq!(memory("1000m"), Ok(1));
    }

    #[test]
    fn malformed_quantities_are_errors_not_panics() {
        for text in [
            "", "m", "ten", "1x", "1.2.3", "1Mii", "1e", "1e+", "--1", ".", "1 Gi",
        ] {
            assert!(
                matches!(memory(text), Err(QuantityError::Malformed(_))),
                "{text:?} should be malformed, got {:?}",
                memory(text)
            );
        }
        assert_eq!(memory("-1"), Err(QuantityError::Negative("-1".into())));
        assert_eq!(memory("2Ei"), Ok(2 << 60));
        assert!(matches!(memory("9Ei"), Err(QuantityError::TooLarge(_))));
        assert!(matches!(memory("1e40"), Err(QuantityError::TooLarge(_))));
        assert_eq!(memory("1e-40"), Ok(1));
        assert_eq!(memory("0e2147483647"), Ok(0));
        assert!(matches!(
            cpu("1e2147483647"),
            Err(QuantityError::TooLarge(_))
        ));
        assert_eq!(cpu("1e-2147483648"), Ok(1));
        assert!(matches!(
            memory("1e99999999999"),
            Err(QuantityError::Malformed(_))
        ));
        assert!(matches!(
            memory("123456789012345678901234567890123456789012345"),
            Err(QuantityError::TooLarge(_))
        ));
    }
}
