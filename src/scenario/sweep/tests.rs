use super::*;

#[test]
fn requests_give_levels_and_refuse_a_range_upside_down() {
    let r = SweepRequest::new(0.5, 1.5, 41, None, None).unwrap();
    assert_eq!(r.levels().len(), 41);
    assert!((r.levels()[20] - 1.0).abs() < 1e-12);
    assert_eq!(r.levels()[0], 0.5);
    assert_eq!(r.levels()[40], 1.5);
    let e = SweepRequest::new(0.8, 0.5, 5, None, None).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(
        e.to_string().contains("--to 0.5 is below --from 0.8"),
        "{e}"
    );
}
