//! report.html on the sample allocation: escaping, self-containment, the headline,
//! determinism, and rendering (and sorting) in headless Chromium where installed.

use super::*;
use crate::report::{charts, sample};
use crate::solve::SolveStatus;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn page() -> String {
    let a = sample::allocation();
    render(&a, &charts::render_all(&a).unwrap())
}

#[test]
fn hostile_text_is_escaped() {
    let html = page();
    for bad in [
        "<script>alert(1)",
        "<img src=x",
        "<b>Bold",
        "<i>shared",
        "<em>test",
    ] {
        assert!(!html.contains(bad), "unescaped {bad:?}");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)"));
    // The only scripts are the page's own two.
    assert_eq!(html.matches("<script>").count(), 2);
}

#[test]
fn charts_are_inline_and_nothing_is_loaded() {
    let html = page();
    assert_eq!(html.matches("<svg ").count(), 5);
    for attr in ["src=\"", "href=\"", "url(", "@import"] {
        assert!(!html.contains(attr), "the page must load nothing ({attr})");
    }
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn headline_shows_status_gap_and_comparisons() {
    let a = sample::allocation();
    let html = render(&a, &[]);
    assert!(html.contains(&html_escape(SolveStatus::WithinGap.describe())));
    assert!(html.contains("gap 0.04% (asked for 0.10%)"));
    assert!(
        html.contains("Fair-share formula with reallocation")
            && html.contains("Greedy ranking by value per £")
            && html.contains("Fair shares (floors and caps set as shares of them, the formula comparison and £ per head) are by population.")
    );
    assert!(!html.contains("class=\"warning\""));
    let synthetic = sample::synthetic(5, 40, 3);
    let html = render(&synthetic, &[]);
    assert!(
        html.contains("NOT proven optimal"),
        "a time-limited answer says so"
    );
    assert!(html.contains("class=\"warning\""));
}

#[test]
fn every_project_and_footprint_has_a_row() {
    let a = sample::allocation();
    let html = render(&a, &[]);
    let rows = |id: &str| {
        let start = html.find(&format!("id=\"{id}\"")).unwrap();
        let table = &html[start..start + html[start..].find("</table>").unwrap()];
        table.matches("<tr>").count() - 1
    };
    assert_eq!(rows("project-table"), a.projects.len());
    assert_eq!(rows("footprint-table"), a.footprints.len());
}

#[test]
fn tiny_gaps_do_not_read_as_zero() {
    assert_eq!(gap(0.0), "0.00%");
    assert_eq!(gap(0.0004), "0.04%");
    assert_eq!(html_escape(&gap(0.00000321)), "&lt;0.01%");
}

#[test]
fn the_page_is_deterministic() {
    assert_eq!(page(), page());
}

const CLICK_TWICE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body>
<iframe id="report" src="report.html" style="width:1200px;height:800px"></iframe>
<script>
document.getElementById('report').addEventListener('load', function () {
  var out = document.createElement('pre');
  try {
    var table = this.contentDocument.getElementById('project-table');
    var heads = table.tHead.rows[0].cells, column = -1;
    for (var i = 0; i < heads.length; i++) { if (heads[i].textContent.trim() === 'Cost (£k)') { column = i; } }
    var values = function () {
      return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[column].getAttribute('data-v'); }).join(',');
    };
    var button = heads[column].querySelector('button');
    button.click();
    var up = values();
    button.click();
    out.textContent = 'up=' + up + '\ndown=' + values() + '\nsort=' + heads[column].getAttribute('aria-sort') + '\n';
  } catch (e) {
    out.textContent = 'error=' + e + '\n';
  }
  document.body.appendChild(out);
});
</script>
</body></html>
"#;

fn chromium() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>());
    std::iter::once(PathBuf::from("/usr/bin/chromium"))
        .chain(
            on_path
                .flat_map(|d| ["chromium", "chromium-browser", "google-chrome"].map(|n| d.join(n))),
        )
        .find(|p| p.is_file())
}

/// Runs Chromium headless with a fresh profile, killing it if it hangs.
fn run_chromium(chromium: &Path, args: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (out.join().unwrap(), err.join().unwrap())
}

/// Where the screenshot is kept for people to look at: the cargo target folder.
fn screenshot_path() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/<profile>/deps/<test binary>
    let target = exe
        .ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir);
    target.join("report-screenshot.png")
}

#[test]
fn the_page_renders_in_headless_chromium_without_errors() {
    let Some(chromium) = chromium() else {
        // CI installs Chromium (.ci/run), so there a missing browser is a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but chromium is not installed: scripts/deps.sh --browser installs it"
        );
        eprintln!("skipped: chromium not installed (scripts/deps.sh --browser installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    std::fs::write(&report, page()).unwrap();
    let url = format!("file://{}", report.display());

    let (dom, log) = run_chromium(&chromium, &["--dump-dom".to_string(), url.clone()]);
    let html_tag = &dom[dom.find("<html").expect("chromium printed the DOM")..];
    let html_tag = &html_tag[..html_tag.find('>').unwrap()];
    assert!(
        html_tag.contains("data-ready=\"1\""),
        "sorting handlers attached: {html_tag}"
    );
    assert!(
        !html_tag.contains("data-errors"),
        "script errors: {html_tag}"
    );
    for line in log.lines() {
        assert!(
            !line.contains("Uncaught")
                && !line.contains(":CONSOLE")
                && !line.contains("Refused to"),
            "browser console: {line}"
        );
    }
    assert!(
        !dom.contains("<script>alert(1)</script>"),
        "hostile markup became live markup"
    );
    assert_eq!(dom.matches("<svg ").count(), 5);

    // Clicking a header sorts: a wrapper page clicks "Cost (£k)" twice inside the
    // report (file pages may script each other only with this flag).
    let wrapper = dir.path().join("click.html");
    std::fs::write(&wrapper, CLICK_TWICE).unwrap();
    let (dom, _) = run_chromium(
        &chromium,
        &[
            "--allow-file-access-from-files".to_string(),
            "--dump-dom".to_string(),
            format!("file://{}", wrapper.display()),
        ],
    );
    let pre = dom
        .split("<pre>")
        .nth(1)
        .and_then(|p| p.split("</pre>").next());
    let pre = pre.unwrap_or_else(|| panic!("the wrapper page wrote no result: {dom}"));
    let result = |key: &str| -> Vec<f64> {
        let line = pre
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key} in {pre}"));
        line.split(',').map(|v| v.parse().unwrap()).collect()
    };
    let (up, down) = (result("up"), result("down"));
    assert_eq!(up.len(), sample::allocation().projects.len());
    assert!(
        up.windows(2).all(|w| w[0] <= w[1]),
        "ascending after one click: {up:?}"
    );
    assert!(
        down.windows(2).all(|w| w[0] >= w[1]),
        "descending after two: {down:?}"
    );
    assert!(pre.contains("sort=descending"), "{pre}");

    let shot = screenshot_path();
    let _ = std::fs::remove_file(&shot);
    let (_, log) = run_chromium(
        &chromium,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".to_string(),
            url,
        ],
    );
    for line in log.lines() {
        assert!(
            !line.contains("Uncaught") && !line.contains(":CONSOLE"),
            "browser console: {line}"
        );
    }
    let png =
        std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot at {}: {e}", shot.display()));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let mut reader = png::Decoder::new(png.as_slice()).read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (1280, 2000));
    let bytes_per_pixel = reader.info().bytes_per_pixel();
    let mut pixels = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut pixels).unwrap();
    // A blank or error page is nearly one colour; the report has text, tables and charts.
    let distinct: std::collections::HashSet<&[u8]> =
        pixels.chunks(bytes_per_pixel).step_by(7).collect();
    assert!(
        distinct.len() > 50,
        "the screenshot looks empty ({} colours)",
        distinct.len()
    );
    eprintln!("screenshot saved to {}", shot.display());
}
