//! The real public tables the generator builds on, embedded at compile time
//! (see data/README.md for where each comes from and its licence).
//!
//! Footprints are the 42 STP/ICS areas of 2021 (ONS codes, names, regions and
//! GP-registered populations from NHS England's 2022/23 allocation data).
//! Bidding organisations are the acute trusts of the Health Foundation's
//! 2017/18 trust→STP lookup, moved to the 2021 codes, and the 2019 CCGs.

use std::collections::HashMap;

const STP21_CSV: &str =
    include_str!("../../data/sources/derived_stp21_population_weighted_2022-23.csv");
const CCG19_CSV: &str =
    include_str!("../../data/sources/derived_ccg19_population_weighted_2022-23.csv");
const TRUSTS_CSV: &str = include_str!("../../data/sources/hf_trust_stp_lookup_2017-18.csv");

/// 2017/18 STP codes that no 2021 footprint carries, and the 2021 footprint each became.
/// The rest of the 2017/18 codes are unchanged in 2021.
pub const STP_CODE_CHANGES: &[(&str, &str, &str)] = &[
    ("E54000005", "E54000054", "West Yorkshire and Harrogate: same footprint, new code"),
    ("E54000006", "E54000051", "Humber, Coast and Vale: same footprint, new code"),
    ("E54000033", "E54000053", "Sussex and East Surrey: the Sussex part became Sussex Health and Care Partnership"),
    ("E54000035", "E54000052", "Surrey Heartlands: same footprint (plus East Surrey), new code"),
    ("E54000045", "E54000050", "Durham, Darlington, Teesside, Hambleton, Richmondshire and Whitby: merged into Cumbria and North East"),
    ("E54000046", "E54000050", "Northumberland, Tyne and Wear and North Durham: merged into Cumbria and North East"),
    ("E54000047", "E54000050", "West, North and East Cumbria: merged into Cumbria and North East"),
];

/// Trusts whose 2021 footprint is not the one their 2017/18 code maps to.
pub const TRUST_OVERRIDES: &[(&str, &str, &str)] = &[(
    "RTP",
    "E54000052",
    "Surrey and Sussex Healthcare (East Surrey Hospital): East Surrey CCG (09L) is in Surrey Heartlands in 2021",
)];

/// A bidding organisation: an acute trust or a CCG.
#[derive(Clone, Debug, PartialEq)]
pub struct Org {
    /// ODS code.
    pub code: String,
    pub name: String,
    /// GP-registered population (CCGs only; 0 for trusts).
    pub population: u64,
}

/// One of the 42 real footprints with its organisations.
#[derive(Clone, Debug, PartialEq)]
pub struct RealFootprint {
    pub id: String,
    pub name: String,
    pub region: String,
    pub population: u64,
    pub weighted_population: u64,
    pub trusts: Vec<Org>,
    pub ccgs: Vec<Org>,
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    let bytes = text.as_bytes();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes)
}

/// The records of an embedded table as maps from column name to value.
fn records(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = reader(text);
    let headers: Vec<String> = r
        .headers()
        .expect("embedded table has a header")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("embedded table is valid CSV");
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn field<'a>(row: &'a HashMap<String, String>, name: &str) -> &'a str {
    row.get(name)
        .unwrap_or_else(|| panic!("embedded table lacks column {name}"))
}

fn whole(row: &HashMap<String, String>, name: &str) -> u64 {
    field(row, name)
        .parse()
        .unwrap_or_else(|_| panic!("embedded column {name} is not a whole number"))
}

/// The 2021 footprint a trust belongs to, from its 2017/18 STP code.
pub fn footprint_2021<'a>(trust_code: &str, stp_2017: &'a str) -> &'a str {
    if let Some(&(_, to, _)) = TRUST_OVERRIDES.iter().find(|(t, _, _)| *t == trust_code) {
        return to;
    }
    if let Some(&(_, to, _)) = STP_CODE_CHANGES
        .iter()
        .find(|(from, _, _)| *from == stp_2017)
    {
        return to;
    }
    stp_2017
}

/// The trust names in the lookup capitalise every word ("Isle Of Wight"); write
/// the joining words in lower case as the trusts themselves do.
pub fn tidy_trust_name(name: &str) -> String {
    name.split(' ')
        .enumerate()
        .map(|(i, w)| match w {
            "And" | "Of" | "Upon" | "On" if i > 0 => w.to_ascii_lowercase(),
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The 42 real footprints in file order, each with its trusts (lookup order) and CCGs (file order).
pub fn real_footprints() -> Vec<RealFootprint> {
    let mut fps: Vec<RealFootprint> = records(STP21_CSV)
        .iter()
        .map(|r| RealFootprint {
            id: field(r, "stp21_ons").to_string(),
            name: field(r, "stp21_name").to_string(),
            region: field(r, "region21").to_string(),
            population: whole(r, "gp_registered_pop"),
            weighted_population: whole(r, "weighted_pop_overall"),
            trusts: Vec::new(),
            ccgs: Vec::new(),
        })
        .collect();
    let index: HashMap<String, usize> = fps
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.clone(), i))
        .collect();
    for r in records(TRUSTS_CSV) {
        let code = field(&r, "code");
        let to = footprint_2021(code, field(&r, "STP_code"));
        let &i = index
            .get(to)
            .unwrap_or_else(|| panic!("trust {code} maps to {to}, which is not a 2021 footprint"));
        fps[i].trusts.push(Org {
            code: code.to_string(),
            name: tidy_trust_name(field(&r, "Trust")),
            population: 0,
        });
    }
    for r in records(CCG19_CSV) {
        let to = field(&r, "stp21_ons");
        let &i = index
            .get(to)
            .unwrap_or_else(|| panic!("CCG maps to unknown footprint {to}"));
        fps[i].ccgs.push(Org {
            code: field(&r, "ccg19_ods").to_string(),
            name: field(&r, "ccg19_name").to_string(),
            population: whole(&r, "gp_registered_pop"),
        });
    }
    fps
}

/// A footprint's everyday name, for "<footprint> councils": the partnership
/// branding of the 2021 names dropped ("Our Healthier South East London" → "South East London").
pub fn short_name(name: &str) -> String {
    let mut s = name.trim().to_string();
    for prefix in ["Our Healthier ", "Healthier ", "Joined Up Care "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    for suffix in [
        " (Health & Care Partnership)",
        " Health and Social Care Partnership",
        " Health & Social Care Partnership",
        " Health and Care Partnership",
        " Health & Care Partnership",
        " Partners in Health & Care",
        " Health & Care ICS",
        " Health and Care",
    ] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.to_string();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_real_footprint_has_trusts_and_ccgs() {
        let fps = real_footprints();
        assert_eq!(fps.len(), 42);
        assert_eq!(fps.iter().map(|f| f.trusts.len()).sum::<usize>(), 137);
        assert_eq!(fps.iter().map(|f| f.ccgs.len()).sum::<usize>(), 192);
        for f in &fps {
            assert!(!f.trusts.is_empty() && !f.ccgs.is_empty(), "{}", f.name);
            let ccg_pop: u64 = f.ccgs.iter().map(|c| c.population).sum();
            // The derived tables round each sum separately.
            assert!(
                ccg_pop.abs_diff(f.population) <= f.ccgs.len() as u64,
                "{}",
                f.name
            );
        }
        let total: u64 = fps.iter().map(|f| f.population).sum();
        assert!((59_000_000..59_200_000).contains(&total), "{total}");
    }

    #[test]
    fn merged_and_renamed_codes_map_by_name() {
        let fps = real_footprints();
        let trusts_of = |id: &str| {
            fps.iter()
                .find(|f| f.id == id)
                .unwrap()
                .trusts
                .iter()
                .map(|t| t.code.clone())
                .collect::<Vec<_>>()
        };
        let cne = trusts_of("E54000050");
        for code in ["RNL", "RTF", "RTD", "RXP", "RTR"] {
            assert!(cne.contains(&code.to_string()), "{code}");
        }
        assert!(trusts_of("E54000052").contains(&"RTP".to_string()));
        assert!(trusts_of("E54000053").contains(&"RXH".to_string()));
        assert!(trusts_of("E54000054").contains(&"RR8".to_string()));
        assert!(trusts_of("E54000051").contains(&"RWA".to_string()));
    }

    #[test]
    fn names_are_tidied() {
        assert_eq!(
            tidy_trust_name("Isle Of Wight NHS Trust"),
            "Isle of Wight NHS Trust"
        );
        assert_eq!(
            tidy_trust_name("The Newcastle Upon Tyne Hospitals NHS Foundation Trust"),
            "The Newcastle upon Tyne Hospitals NHS Foundation Trust"
        );
        assert_eq!(
            short_name("Our Healthier South East London"),
            "South East London"
        );
        assert_eq!(
            short_name("West Yorkshire and Harrogate (Health & Care Partnership)"),
            "West Yorkshire and Harrogate"
        );
        assert_eq!(short_name("Frimley Health & Care ICS"), "Frimley");
        assert_eq!(short_name("Joined Up Care Derbyshire"), "Derbyshire");
        assert_eq!(
            short_name("North London Partners in Health & Care"),
            "North London"
        );
        assert_eq!(
            short_name("Nottingham and Nottinghamshire Health and Care"),
            "Nottingham and Nottinghamshire"
        );
        assert_eq!(
            short_name("Cornwall and The Isles of Scilly Health & Social Care Partnership"),
            "Cornwall and The Isles of Scilly"
        );
        assert_eq!(
            short_name("Greater Manchester Health and Social Care Partnership"),
            "Greater Manchester"
        );
    }
}
