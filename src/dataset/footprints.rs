//! Parsing the footprints table (`footprints.csv` or sheet `Footprints`): one row
//! per footprint, ids unique.

use super::number::Kind;
use super::row::{require, rows};
use super::table::Table;
use super::text::{LONG_TEXT, SHORT_TEXT};
use crate::domain::{Footprint, Maturity};
use crate::error::InputError;
use crate::format::{clip, ECHO};
use crate::schema::footprints;
use std::collections::HashMap;

pub(super) fn parse_footprints(table: &Table) -> Result<Vec<Footprint>, InputError> {
    require(table, &footprints::REQUIRED)?;
    let weighted = table.column(footprints::WEIGHTED_POPULATION).is_some();
    let mut footprints: Vec<Footprint> = Vec::new();
    let mut lines: HashMap<String, u64> = HashMap::new();
    for row in rows(table) {
        let id = row.required_text(footprints::ID, SHORT_TEXT)?;
        if let Some(first) = lines.get(&id) {
            return Err(row.error(
                footprints::ID,
                format!(
                    "footprint `{}` is listed twice (first on {} {first})",
                    clip(&id, ECHO),
                    table.source.row_word()
                ),
                "give each footprint one row",
            ));
        }
        let name = row.required_text(footprints::NAME, LONG_TEXT)?;
        let region = row.required_text(footprints::REGION, LONG_TEXT)?;
        let population = row.number(footprints::POPULATION, Kind::Population)?;
        // Used when a scenario shares fairly by it; checked whenever given.
        let weighted_population = if weighted && !row.is_blank(footprints::WEIGHTED_POPULATION)? {
            Some(row.number(footprints::WEIGHTED_POPULATION, Kind::Population)?)
        } else {
            None
        };
        footprints.push(Footprint {
            name,
            region,
            population,
            weighted_population,
            maturity: Maturity {
                readiness: row.number(footprints::READINESS, Kind::Score)?,
                capabilities: row.number(footprints::CAPABILITIES, Kind::Score)?,
                infrastructure: row.number(footprints::INFRASTRUCTURE, Kind::Score)?,
            },
            id: id.clone(),
        });
        lines.insert(id, row.line);
    }
    if footprints.is_empty() {
        return Err(table.source.whole(
            "there are no footprints",
            "add one row per footprint under the header",
        ));
    }
    Ok(footprints)
}
