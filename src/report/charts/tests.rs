use super::style::{
    fit, fonts, palette, text_width, wrap, MoneyAxis, ValueAxis, BLUE, ORANGE, ROW, ROW_LABEL_MAX,
    SUBTITLE, TICK, WIDTH,
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
    // A £1.8bn fund still reads in £m; £bn only from £10bn.
    assert_eq!(MoneyAxis::for_max(1_800_000.0).unit, "£m");
    assert_eq!(MoneyAxis::for_max(12_000_000.0).unit, "£bn");
    assert_eq!(MoneyAxis::for_max(12_000_000.0).tick(2_500_000.0), "2.5");
    assert_eq!(ValueAxis::new("£k of benefit", 3e6).unit, "£m of benefit");
    assert_eq!(
        ValueAxis::new("person-points", 3e8).unit,
        "millions of person-points"
    );
}

// ---------------------------------------------------------------------------
// The frontier, comparison and target figures, drawn from plain data.

/// What every chart must be: an SVG showing its title in the bundled font, and a PNG at
/// twice its size that is not a blank page (the sweep's old frontier chart was one).
fn check_chart(c: &Chart, name: &str) {
    assert_eq!(c.name, name);
    assert!(c.svg.starts_with("<svg"), "{name}");
    assert!(c.svg.contains(&c.title), "{name}: the SVG shows its title");
    let texts = c.svg.matches("<text ").count();
    assert!(texts > 0, "{name}");
    assert_eq!(
        c.svg.matches("font-family=\"sans-serif\"").count(),
        texts,
        "{name}: every text in the family the bundled DejaVu Sans is registered as"
    );
    let decoder = png::Decoder::new(c.png.as_slice());
    let mut reader = decoder.read_info().expect("a valid PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).expect("the PNG decodes");
    assert_eq!(frame.color_type, png::ColorType::Rgb, "{name}");
    assert_eq!(
        (frame.width, frame.height),
        (WIDTH * 2, svg_height(&c.svg) * 2),
        "{name}"
    );
    let row = frame.line_size;
    let dark = |rows: std::ops::Range<usize>| {
        pixels[rows.start * row..rows.end * row]
            .chunks(3)
            .filter(|p| p.iter().all(|&v| v < 128))
            .count()
    };
    // The title sits 24 to about 55 design pixels from the top: 48 to 110 in the PNG.
    assert!(dark(48..110) > 500, "{name}: the PNG shows its title");
    assert!(
        dark(0..frame.height as usize) > 1000,
        "{name}: the PNG is not blank"
    );
}

/// Every text of the SVG, joined by spaces, so words wrapped onto two lines read as one.
fn words(svg: &str) -> String {
    svg.split("<text ")
        .skip(1)
        .map(|e| {
            e.split_once('>')
                .unwrap()
                .1
                .split("</text>")
                .next()
                .unwrap()
                .trim()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `<circle>` elements filled with the colour.
fn circles(svg: &str, colour: RGBColor) -> usize {
    let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", colour.0, colour.1, colour.2);
    svg.split("<circle ")
        .skip(1)
        .filter(|e| e.split("/>").next().unwrap().contains(&fill))
        .count()
}

/// `<rect>` elements filled with the colour.
fn bars(svg: &str, colour: RGBColor) -> usize {
    let fill = format!("fill=\"#{:02X}{:02X}{:02X}\"", colour.0, colour.1, colour.2);
    svg.split("<rect ")
        .skip(1)
        .filter(|e| e.split("/>").next().unwrap().contains(&fill))
        .count()
}

fn sweep() -> FrontierChart {
    let points = (0..9)
        .map(|i| {
            let fund_k = 900_000.0 + 225_000.0 * i as f64;
            let value = 1.6e9 * (1.0 - (-(fund_k / 1e6)).exp());
            FrontierPoint {
                fund_k,
                value,
                // Two levels stopped within the gap.
                proven: (i % 4 == 1).then_some((value, value * 1.02)),
            }
        })
        .collect();
    FrontierChart {
        scenario: "baseline".to_string(),
        value_unit: "need-weighted person-points".to_string(),
        points,
        fund_k: 1_800_000.0,
    }
}

#[test]
fn the_frontier_marks_every_fund_level_and_the_scenario_s_fund() {
    let input = sweep();
    let c = frontier(&input).unwrap();
    check_chart(&c, "frontier");
    assert_eq!(c.title, "Efficient frontier: value against fund");
    // One dot per level, and one in the legend.
    assert_eq!(circles(&c.svg, BLUE), input.points.len() + 1);
    assert!(words(&c.svg).contains("own fund: £1.80bn"));
    assert!(words(&c.svg).contains("At 2 levels the solver stopped within its gap"));
    assert!(words(&c.svg).contains("Fund (£m)"));
    assert!(words(&c.svg).contains("millions of need-weighted person-points"));
    // Points arrive in any order; the chart is the same.
    let mut shuffled = input.clone();
    shuffled.points.reverse();
    assert_eq!(frontier(&shuffled).unwrap().svg, c.svg);
}

#[test]
fn a_frontier_in_money_shows_money_on_both_axes() {
    let mut input = sweep();
    input.value_unit = "£k of benefit (present value)".to_string();
    input.points.iter_mut().for_each(|p| {
        p.value /= 1000.0;
        p.proven = None;
    });
    let c = frontier(&input).unwrap();
    check_chart(&c, "frontier");
    assert!(words(&c.svg).contains("Value, £m of benefit (present value)"));
    assert!(
        !words(&c.svg).contains("solver stopped"),
        "no ranges, no words about them"
    );
}

fn comparison_input(footprints: usize, reports: usize) -> ComparisonChart {
    ComparisonChart {
        series: (0..reports).map(|j| format!("report {j}")).collect(),
        rows: (0..footprints)
            .map(|i| ComparisonRow {
                footprint: format!("Footprint {i:03} and partners"),
                funded: (0..reports)
                    .map(|j| 1000.0 * ((i * 7 + j * 13) % 50) as f64)
                    .collect(),
            })
            .collect(),
    }
}

#[test]
fn the_comparison_has_one_bar_per_report_and_footprint() {
    let input = comparison_input(12, 3);
    let c = comparison(&input).unwrap();
    check_chart(&c, "comparison");
    for j in 0..3 {
        // Twelve bars, and the legend's swatch.
        assert_eq!(bars(&c.svg, palette(j)), 12 + 1, "report {j}");
    }
    assert!(words(&c.svg).contains("the largest change from report 0 first"));
}

#[test]
fn a_hundred_footprints_compared_keep_every_label_apart() {
    let input = comparison_input(100, 2);
    let c = comparison(&input).unwrap();
    check_chart(&c, "comparison");
    assert_eq!(bars(&c.svg, palette(0)), 101);
    let names: Vec<String> = input.rows.iter().map(|r| r.footprint.clone()).collect();
    let mut ys = text_rows(&c.svg, &names);
    assert_eq!(ys.len(), 100, "one label per footprint");
    ys.sort_by(f64::total_cmp);
    let closest = ys
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    assert!(closest >= TICK / 1.24, "labels {closest} px apart");
    assert!(svg_height(&c.svg) as f64 >= 100.0 * ROW);
    // More reports make each footprint's group taller, not the bars thinner.
    let five = comparison(&comparison_input(100, 5)).unwrap();
    assert!(svg_height(&five.svg) > svg_height(&c.svg));
}

#[test]
fn the_target_chart_marks_before_and_after_for_every_footprint() {
    let input = TargetChart {
        target: 60.0,
        rows: [
            (42.0, 61.0),
            (55.0, 60.0),
            (30.0, 48.5),
            (70.0, 71.0),
            (20.0, 20.0),
        ]
        .iter()
        .enumerate()
        .map(|(i, &(before, after))| TargetRow {
            footprint: format!("Footprint {i}"),
            before,
            after,
        })
        .collect(),
    };
    let c = target(&input).unwrap();
    check_chart(&c, "target_capabilities");
    assert_eq!(
        circles(&c.svg, ORANGE),
        5 + 1,
        "before: one per footprint and the legend's"
    );
    assert_eq!(
        circles(&c.svg, BLUE),
        5 + 1,
        "after: one per footprint and the legend's"
    );
    assert!(words(&c.svg).contains("3 of 5 footprints reach the target score of 60"));
    assert!(words(&c.svg).contains("target: 60"));
}

#[test]
fn empty_inputs_say_there_is_nothing_to_show() {
    let charts = [
        frontier(&FrontierChart {
            scenario: "tight".to_string(),
            value_unit: "person-points".to_string(),
            points: Vec::new(),
            fund_k: 1000.0,
        }),
        comparison(&ComparisonChart::default()),
        comparison(&comparison_input(0, 2)),
        target(&TargetChart::default()),
    ];
    for (c, name) in charts.iter().zip([
        "frontier",
        "comparison",
        "comparison",
        "target_capabilities",
    ]) {
        let c = c.as_ref().unwrap();
        check_chart(c, name);
        assert!(words(&c.svg).contains("Nothing to show"), "{name}");
        assert!(svg_height(&c.svg) < 200, "{name}: no empty axes");
    }
}

#[test]
fn odd_numbers_and_long_names_still_draw() {
    let long = "Lancashire and South Cumbria ".repeat(3500);
    let one_point = FrontierChart {
        scenario: long.clone(),
        value_unit: "person-points".to_string(),
        points: vec![
            FrontierPoint {
                fund_k: 0.0,
                value: 0.0,
                proven: Some((f64::NAN, 5.0)),
            },
            FrontierPoint {
                fund_k: f64::NAN,
                value: 3.0,
                proven: None,
            },
        ],
        fund_k: f64::INFINITY,
    };
    let c = frontier(&one_point).unwrap();
    check_chart(&c, "frontier");
    assert_eq!(
        circles(&c.svg, BLUE),
        1 + 1,
        "the level with no fund is dropped"
    );
    assert!(!words(&c.svg).contains("own fund"), "no fund, no line");
    let mut ragged = comparison_input(3, 2);
    ragged.series[1] = long.clone();
    ragged.rows[0].funded = vec![f64::NAN];
    ragged.rows[1].funded = vec![-5.0, 1e12, 7.0];
    ragged.rows[2].footprint = long.clone();
    let c = comparison(&ragged).unwrap();
    check_chart(&c, "comparison");
    assert_eq!(bars(&c.svg, palette(1)), 3 + 1);
    assert!(
        words(&c.svg).contains("£bn"),
        "a £1,000bn bar puts the axis in £bn"
    );
    let c = target(&TargetChart {
        target: f64::NAN,
        rows: vec![TargetRow {
            footprint: long,
            before: f64::NAN,
            after: 150.0,
        }],
    })
    .unwrap();
    check_chart(&c, "target_capabilities");
    for c in [frontier(&one_point).unwrap(), comparison(&ragged).unwrap()] {
        assert!(c.svg.len() < 60_000, "{}: long names are cut", c.name);
    }
}
