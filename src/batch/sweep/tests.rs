use super::*;

#[test]
fn requests_parse_shares_and_refuse_nonsense() {
    let r = SweepRequest::parse("50%", "1.5", 41, Some("2017/18"), Some("capital")).unwrap();
    assert_eq!((r.from, r.to, r.steps), (0.5, 1.5, 41));
    assert_eq!(r.levels().len(), 41);
    assert!((r.levels()[20] - 1.0).abs() < 1e-12);
    for (from, to, steps, line) in [
        ("x", "1", 5, None),
        ("80%", "50%", 5, None),
        ("50%", "60%", 1, None),
        ("50%", "60%", 3, Some("staff")),
    ] {
        assert!(
            SweepRequest::parse(from, to, steps, None, line).is_err(),
            "{from} {to} {steps} {line:?}"
        );
    }
}
