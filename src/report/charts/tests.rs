use super::style::{
    fit, fonts, text_width, wrap, MoneyAxis, ValueAxis, ROW, ROW_LABEL_MAX, SUBTITLE, TICK, WIDTH,
};
use super::*;
use crate::report::sample;

fn png_size(png: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(png);
    let reader = decoder.read_info().expect("a valid PNG");
    let info = reader.info();
    (info.width, info.height)
}

fn svg_height(svg: &str) -> u32 {
    let start = svg.find("height=\"").unwrap() + 8;
    svg[start..].split('"').next().unwrap().parse().unwrap()
}

#[test]
fn every_chart_renders_as_svg_and_png() {
    let a = sample::allocation();
    let charts = render_all(&a).unwrap();
    let names: Vec<&str> = charts.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "allocation_by_footprint",
            "spend_profile",
            "allocation_by_category",
            "maturity_before_after",
            "value_for_money_curve"
        ]
    );
    for c in &charts {
        assert!(c.svg.starts_with("<svg"), "{}", c.name);
        assert!(
            c.svg.contains(&c.title),
            "{}: the SVG shows its title",
            c.name
        );
        assert!(c.png.starts_with(b"\x89PNG\r\n\x1a\n"), "{}", c.name);
        let (w, h) = png_size(&c.png);
        assert_eq!(w, WIDTH * 2, "{}", c.name);
        assert_eq!(h, svg_height(&c.svg) * 2, "{}", c.name);
    }
}

#[test]
fn chart_text_from_inputs_is_escaped() {
    let a = sample::allocation();
    for c in render_all(&a).unwrap() {
        assert!(
            !c.svg.contains("<b>") && !c.svg.contains("<i>"),
            "{}",
            c.name
        );
    }
    let footprint = &render_all(&a).unwrap()[0].svg;
    assert!(footprint.contains("&lt;b&gt;Bold &amp; &quot;quoted&quot;&lt;/b&gt;"));
}

#[test]
fn charts_are_deterministic() {
    let a = sample::allocation();
    let (one, two) = (render_all(&a).unwrap(), render_all(&a).unwrap());
    for (x, y) in one.iter().zip(&two) {
        assert_eq!(x.svg, y.svg, "{}", x.name);
        assert_eq!(x.png, y.png, "{}", x.name);
    }
}

/// The y of every `<text>` drawn with the given content.
fn text_rows(svg: &str, texts: &[String]) -> Vec<f64> {
    let mut ys = Vec::new();
    for element in svg.split("<text ").skip(1) {
        let (attrs, rest) = element.split_once('>').unwrap();
        let content = rest.split("</text>").next().unwrap().trim();
        if texts.iter().any(|t| t == content) {
            let y = attrs
                .split("y=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            ys.push(y.parse().unwrap());
        }
    }
    ys
}

#[test]
fn a_hundred_footprints_keep_every_label_apart() {
    let a = sample::synthetic(100, 300, 3);
    let charts = render_all(&a).unwrap();
    let font_height = TICK / 1.24; // the CSS pixel size plotters writes into the SVG
    assert!(ROW >= font_height * 1.5);
    let names: Vec<String> = a
        .footprints
        .iter()
        .map(|f| fit(&f.name, TICK, ROW_LABEL_MAX))
        .collect();
    for chart in [&charts[0], &charts[3]] {
        let mut ys = text_rows(&chart.svg, &names);
        assert_eq!(ys.len(), 100, "{}: one label per footprint", chart.name);
        ys.sort_by(f64::total_cmp);
        let closest = ys
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
        assert!(
            closest >= font_height,
            "{}: labels {closest} px apart",
            chart.name
        );
        assert!(
            svg_height(&chart.svg) as f64 >= 100.0 * ROW,
            "{}",
            chart.name
        );
    }
}

#[test]
fn empty_allocations_still_render() {
    let mut nothing_funded = sample::allocation();
    for p in &mut nothing_funded.projects {
        p.fraction = 0.0;
        p.funded = 0.0;
        p.value = 0.0;
        p.amounts.iter_mut().flatten().for_each(|x| *x = 0.0);
    }
    for f in &mut nothing_funded.footprints {
        f.funded = 0.0;
        f.capabilities_after = f.capabilities_before;
    }
    nothing_funded.comparisons.clear();
    nothing_funded.total_funded = 0.0;
    nothing_funded.total_value = 0.0;
    let mut no_inputs = nothing_funded.clone();
    no_inputs.projects.clear();
    no_inputs.footprints.clear();
    no_inputs.budget_use.clear();
    no_inputs
        .scenario
        .budget
        .iter_mut()
        .for_each(|(_, b)| b.iter_mut().for_each(|x| *x = 0.0));
    for a in [nothing_funded, no_inputs] {
        let charts = render_all(&a).unwrap();
        assert_eq!(charts.len(), 5);
        crate::report::html::render(&a, &charts);
        crate::report::xlsx::render(&a, &charts).unwrap();
    }
}

#[test]
fn long_labels_are_cut_to_fit() {
    fonts().unwrap();
    let long =
        "A very long footprint name that goes on and on well past any sensible width for a label";
    let cut = fit(long, TICK, 300.0);
    assert!(cut.ends_with('…') && text_width(&cut, TICK) <= 300.0);
    assert_eq!(fit("Leeds", TICK, 300.0), "Leeds");
}

/// The cut as first written: drop one character at a time and re-measure. Quadratic,
/// kept here to show the faster cut gives the same labels.
fn fit_one_character_at_a_time(text: &str, size: f64, max: f64) -> String {
    if text_width(text, size) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut keep = chars.len();
    while keep > 1 {
        keep -= 1;
        let cut = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if text_width(&cut, size) <= max {
            return cut;
        }
    }
    "…".to_string()
}

#[test]
fn fitting_cuts_where_cutting_one_character_at_a_time_did() {
    fonts().unwrap();
    let texts = [
        "NHS Lancashire and South Cumbria Integrated Care Board (Morecambe Bay)",
        "AVATAR Tower, Wallasey: WAVE To Yeovil",
        "Spaces   inside    and at the end     ",
        "Ynys Môn – Gwynedd – Conwy – Sir Ddinbych – Sir y Fflint – Wrecsam",
        "W",
        "",
    ];
    for text in texts {
        for max in [-1.0, 0.0, 8.0, 15.0, 40.0, 120.0, 300.0, 420.0, 1000.0] {
            for size in [TICK, SUBTITLE] {
                assert_eq!(
                    fit(text, size, max),
                    fit_one_character_at_a_time(text, size, max),
                    "{text:?} at {max} px"
                );
            }
        }
    }
}

#[test]
fn a_100000_character_label_is_cut_short() {
    fonts().unwrap();
    let name = "Very long footprint name ".repeat(4000);
    let word = "x".repeat(100_000);
    for text in [&name, &word] {
        assert_eq!(text.chars().count(), 100_000);
        let cut = fit(text, TICK, ROW_LABEL_MAX);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(cut.chars().count() < 100, "{cut}");
        assert!(text_width(&cut, TICK) <= ROW_LABEL_MAX);
    }
    let lines = wrap(&name, SUBTITLE, 900.0);
    assert!(lines.len() > 100);
    assert!(lines.iter().all(|l| text_width(l, SUBTITLE) <= 900.0));
    // A word wider than a line is cut rather than run off the page.
    let lines = wrap(&word, SUBTITLE, 900.0);
    assert_eq!(lines.len(), 1);
    assert!(lines[0].ends_with('…') && text_width(&lines[0], SUBTITLE) <= 900.0);
}

#[test]
fn a_footprint_with_a_100000_character_name_still_renders() {
    let mut a = sample::allocation();
    a.footprints[0].name = "North ".repeat(20_000);
    let charts = render_all(&a).unwrap();
    let footprint = &charts[0].svg;
    assert!(footprint.contains("North North"));
    assert!(
        footprint.len() < 100_000,
        "the name is cut, not drawn in full"
    );
}

#[test]
fn axes_pick_readable_units() {
    assert_eq!(MoneyAxis::for_max(250_000.0).unit, "£m");
    assert_eq!(MoneyAxis::for_max(250_000.0).tick(125_000.0), "125");
    assert_eq!(MoneyAxis::for_max(5_000.0).tick(2_500.0), "2.5");
    assert_eq!(MoneyAxis::for_max(800.0).tick(250.0), "250");
    assert_eq!(ValueAxis::new("£k of benefit", 3e6).unit, "£m of benefit");
    assert_eq!(
        ValueAxis::new("person-points", 3e8).unit,
        "millions of person-points"
    );
}
