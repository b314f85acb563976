//! The body metric published with the Article Extraction Benchmark (AEB), exactly as
//! `../shared/datasets/README.md` states it.
//!
//! Tokens are the `\w+` matches of a text (Unicode word characters, case kept). A text becomes
//! the multiset of its word 4-grams; a text of 1 to 3 tokens is a single shorter n-gram and an
//! empty text has none. Per page, TP is the sum over n-grams of min(count in truth, count in
//! prediction), FP the excess in the prediction and FN the excess in the truth; the three are
//! divided by their sum so every page weighs the same. Precision and recall are computed per
//! page and averaged over pages; F1 is the harmonic mean of the two averages; accuracy is the
//! share of pages whose token list equals the truth's.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

/// The shingle length.
const N: usize = 4;

static WORD: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"\w+").expect("the word pattern is valid"));

/// The `\w+` tokens of `text`, case kept.
pub fn tokens(text: &str) -> Vec<&str> {
    WORD.find_iter(text).map(|m| m.as_str()).collect()
}

/// The multiset of word 4-grams of a token list (one shorter n-gram for 1 to 3 tokens,
/// none for no tokens).
fn shingles<'t, 's>(tokens: &'t [&'s str]) -> HashMap<&'t [&'s str], usize> {
    let mut counts = HashMap::new();
    if tokens.is_empty() {
        return counts;
    }
    if tokens.len() < N {
        counts.insert(tokens, 1);
        return counts;
    }
    for window in tokens.windows(N) {
        *counts.entry(window).or_insert(0) += 1;
    }
    counts
}

/// One page's body score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BodyScore {
    /// Normalized true positives: TP / (TP + FP + FN), or 0 when the sum is 0.
    pub true_pos: f64,
    /// Normalized false positives (n-grams predicted in excess).
    pub false_pos: f64,
    /// Normalized false negatives (n-grams of the truth missed).
    pub false_neg: f64,
    pub precision: f64,
    pub recall: f64,
    /// Whether the prediction's token list equals the truth's.
    pub exact: bool,
}

impl BodyScore {
    /// The page's own F1 (harmonic mean of its precision and recall); used to rank pages.
    pub fn f1(&self) -> f64 {
        harmonic_mean(self.precision, self.recall)
    }
}

/// Scores one page's predicted body against its truth.
pub fn score_body(prediction: &str, truth: &str) -> BodyScore {
    let pred_tokens = tokens(prediction);
    let truth_tokens = tokens(truth);
    let pred = shingles(&pred_tokens);
    let gold = shingles(&truth_tokens);

    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (gram, &p) in &pred {
        let t = gold.get(gram).copied().unwrap_or(0);
        tp += p.min(t);
        fp += p.saturating_sub(t);
    }
    for (gram, &t) in &gold {
        let p = pred.get(gram).copied().unwrap_or(0);
        fn_ += t.saturating_sub(p);
    }
    let sum = (tp + fp + fn_) as f64;
    let norm = |x: usize| if sum > 0.0 { x as f64 / sum } else { 0.0 };
    let (tp, fp, fn_) = (norm(tp), norm(fp), norm(fn_));

    BodyScore {
        true_pos: tp,
        false_pos: fp,
        false_neg: fn_,
        precision: ratio(tp, fp, fn_),
        recall: ratio(tp, fn_, fp),
        exact: pred_tokens == truth_tokens,
    }
}

/// Precision (`miss` = FP, `other` = FN) or recall (`miss` = FN, `other` = FP), with the
/// AEB's edge cases: 1.0 when FP = FN = 0, 0.0 when TP = `miss` = 0.
fn ratio(tp: f64, miss: f64, other: f64) -> f64 {
    if miss == 0.0 && other == 0.0 {
        1.0
    } else if tp == 0.0 && miss == 0.0 {
        0.0
    } else {
        tp / (tp + miss)
    }
}

fn harmonic_mean(a: f64, b: f64) -> f64 {
    if a + b > 0.0 {
        2.0 * a * b / (a + b)
    } else {
        0.0
    }
}

/// The body metric over a set of pages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BodyMetrics {
    /// Pages scored.
    pub pages: usize,
    /// Harmonic mean of the average precision and the average recall.
    pub f1: f64,
    /// Average of per-page precision.
    pub precision: f64,
    /// Average of per-page recall.
    pub recall: f64,
    /// Share of pages whose token list equals the truth's.
    pub accuracy: f64,
}

impl BodyMetrics {
    /// Averages page scores; `None` when there are none.
    pub fn aggregate<'a>(scores: impl IntoIterator<Item = &'a BodyScore>) -> Option<BodyMetrics> {
        let (mut pages, mut precision, mut recall, mut exact) = (0usize, 0.0, 0.0, 0usize);
        for s in scores {
            pages += 1;
            precision += s.precision;
            recall += s.recall;
            exact += usize::from(s.exact);
        }
        if pages == 0 {
            return None;
        }
        let n = pages as f64;
        let (precision, recall) = (precision / n, recall / n);
        Some(BodyMetrics {
            pages,
            f1: harmonic_mean(precision, recall),
            precision,
            recall,
            accuracy: exact as f64 / n,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn tokens_are_unicode_words_with_case_kept() {
        assert_eq!(
            tokens("Hello, wörld! Ça_va 42 — 東京"),
            ["Hello", "wörld", "Ça_va", "42", "東京"]
        );
    }

    #[test]
    fn identical_texts_score_one() {
        let s = score_body(
            "The cat sat on the mat today.",
            "The cat sat on the mat today",
        );
        assert!(close(s.true_pos, 1.0) && s.false_pos == 0.0 && s.false_neg == 0.0);
        assert!(close(s.precision, 1.0) && close(s.recall, 1.0) && s.exact);
        assert!(close(s.f1(), 1.0));
    }

    #[test]
    fn disjoint_texts_score_zero() {
        let s = score_body("one two three four five", "six seven eight nine ten");
        // 2 predicted 4-grams, 2 truth 4-grams, none shared: FP = FN = 2/4.
        assert!(close(s.false_pos, 0.5) && close(s.false_neg, 0.5));
        assert_eq!((s.precision, s.recall, s.exact), (0.0, 0.0, false));
        assert_eq!(s.f1(), 0.0);
    }

    #[test]
    fn partial_overlap_counts_shared_four_grams() {
        // truth "a b c d e f" -> [abcd, bcde, cdef]
        // pred  "a b c d e x y" -> [abcd, bcde, cdex, dexy]
        // TP = 2, FP = 2, FN = 1, sum 5.
        let s = score_body("a b c d e x y", "a b c d e f");
        assert!(close(s.true_pos, 2.0 / 5.0));
        assert!(close(s.false_pos, 2.0 / 5.0));
        assert!(close(s.false_neg, 1.0 / 5.0));
        assert!(close(s.precision, 0.5));
        assert!(close(s.recall, 2.0 / 3.0));
        assert!(close(s.f1(), 4.0 / 7.0));
        assert!(!s.exact);
    }

    #[test]
    fn short_texts_are_one_shorter_ngram() {
        // "a b c" is the single n-gram (a, b, c).
        let same = score_body("a b c", "a, b; c!");
        assert!(close(same.precision, 1.0) && close(same.recall, 1.0) && same.exact);
        // (a, b) vs (a, b, c): no shared n-gram at all.
        let shorter = score_body("a b", "a b c");
        assert!(close(shorter.false_pos, 0.5) && close(shorter.false_neg, 0.5));
        assert_eq!((shorter.precision, shorter.recall), (0.0, 0.0));
        // A 3-token truth against a 4-token prediction: (a,b,c) vs (a,b,c,d).
        let longer = score_body("a b c d", "a b c");
        assert_eq!((longer.precision, longer.recall), (0.0, 0.0));
    }

    #[test]
    fn empty_prediction_and_empty_truth() {
        let empty_pred = score_body("", "a b c d e");
        assert!(close(empty_pred.false_neg, 1.0));
        assert_eq!((empty_pred.precision, empty_pred.recall), (0.0, 0.0));

        let empty_truth = score_body("a b c d e", "  ... ");
        assert!(close(empty_truth.false_pos, 1.0));
        assert_eq!((empty_truth.precision, empty_truth.recall), (0.0, 0.0));

        let both = score_body("", "—");
        assert_eq!(
            (both.true_pos, both.false_pos, both.false_neg),
            (0.0, 0.0, 0.0)
        );
        assert_eq!((both.precision, both.recall, both.exact), (1.0, 1.0, true));
    }

    #[test]
    fn repeated_ngrams_count_as_multisets() {
        // truth "x y z w x y z w" -> [xyzw, yzwx, zwxy, wxyz, xyzw]: xyzw twice.
        // pred  "x y z w"         -> [xyzw] once.
        // TP = 1, FP = 0, FN = 4 (yzwx, zwxy, wxyz, the second xyzw); sum 5.
        let s = score_body("x y z w", "x y z w x y z w");
        assert!(close(s.true_pos, 0.2) && close(s.false_neg, 0.8) && s.false_pos == 0.0);
        assert!(close(s.precision, 1.0) && close(s.recall, 0.2));
        // And the other way round: the prediction repeats, FP = 4.
        let r = score_body("x y z w x y z w", "x y z w");
        assert!(close(r.precision, 0.2) && close(r.recall, 1.0));
        // Same set of 4-grams, different counts: a set-based count would call this perfect.
        // truth (3 copies) -> abcd x3, bcda x2, cdab x2, dabc x2 (9);
        // pred  (2 copies) -> abcd x2, bcda, cdab, dabc (5). TP = 5, FP = 0, FN = 4.
        let m = score_body("a b c d a b c d", "a b c d a b c d a b c d");
        assert!(close(m.true_pos, 5.0 / 9.0) && close(m.false_neg, 4.0 / 9.0));
        assert!(close(m.precision, 1.0) && close(m.recall, 5.0 / 9.0));
    }

    #[test]
    fn aggregate_averages_pages_then_takes_the_harmonic_mean() {
        let pages = [
            score_body("a b c d e x y", "a b c d e f"), // P 0.5, R 2/3
            score_body("same text here now", "same text here now"), // P 1, R 1
        ];
        let m = BodyMetrics::aggregate(&pages).expect("two pages");
        assert_eq!(m.pages, 2);
        assert!(close(m.precision, 0.75));
        assert!(close(m.recall, 5.0 / 6.0));
        assert!(close(m.f1, 2.0 * 0.75 * (5.0 / 6.0) / (0.75 + 5.0 / 6.0)));
        assert!(close(m.accuracy, 0.5));
        assert!(BodyMetrics::aggregate(&[]).is_none());
    }
}
