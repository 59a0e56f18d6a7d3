//! The reach of a Training-of-Trainers workshop: the tree of workshops that descend from it.

use std::collections::HashMap;

use entity::{
    certificate::{self, CertificateStatus},
    course,
    workshop::{self, Level, Status},
    workshop_outreach_stats,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::workshop_queries::get_model;
use crate::domain::Result;

/// The deepest cascade followed (ToT → cascade → community is three levels).
pub const MAX_DEPTH: usize = 10;

/// One workshop in the tree with its own counts.
#[derive(Debug, Clone)]
pub struct CascadeNode {
    pub workshop: workshop::Model,
    pub course_code: String,
    /// Participants holding a seat.
    pub enrolled: u64,
    /// Participants of a workshop that has been completed.
    pub completed: u64,
    /// Valid certificates issued.
    pub certified: u64,
    /// Meetings the workshop's certified participants held with their constituencies.
    pub outreach_sessions: u64,
    /// People those meetings reached.
    pub people_reached: u64,
    pub children: Vec<CascadeNode>,
}

/// Totals over a whole tree (outreach: the meetings held and people reached by everyone
/// certified anywhere in it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CascadeTotals {
    pub workshops: u64,
    pub enrolled: u64,
    pub completed: u64,
    pub certified: u64,
    pub outreach_sessions: u64,
    pub people_reached: u64,
    /// Certificates earned in the tree's Training-of-Trainers workshops: its certified trainers.
    pub certified_trainers: u64,
    /// Seats held in the tree's cascade and community workshops: people the trainers trained.
    pub trained_below_tot: u64,
}

impl CascadeTotals {
    /// The cascade's multiplier: people reached per certified trainer, `(trained_below_tot +
    /// people_reached) / certified_trainers`, to one decimal; `None` without a certified trainer.
    pub fn reach_per_trainer(&self) -> Option<f64> {
        if self.certified_trainers == 0 {
            return None;
        }
        let reached = (self.trained_below_tot + self.people_reached) as f64;
        Some((reached * 10.0 / self.certified_trainers as f64).round() / 10.0)
    }
}

/// The tree below (and including) `workshop_id`, and its totals. Each level is read with one
/// query, and the certificate counts with one grouped query.
pub async fn tree(
    db: &impl ConnectionTrait,
    workshop_id: i64,
) -> Result<(CascadeNode, CascadeTotals)> {
    let root = get_model(db, workshop_id).await?;
    let mut all = vec![root.clone()];
    let mut frontier = vec![root.id];
    for _ in 0..MAX_DEPTH {
        if frontier.is_empty() {
            break;
        }
        let children = workshop::Entity::find()
            .filter(workshop::Column::ParentWorkshopId.is_in(frontier.clone()))
            .order_by_asc(workshop::Column::StartDate)
            .order_by_asc(workshop::Column::Id)
            .all(db)
            .await?;
        frontier = children.iter().map(|w| w.id).collect();
        all.extend(children);
    }
    let ids: Vec<i64> = all.iter().map(|w| w.id).collect();
    let certified: HashMap<i64, i64> = certificate::Entity::find()
        .select_only()
        .column(certificate::Column::WorkshopId)
        .column_as(Expr::col(certificate::Column::Id).count(), "certified")
        .filter(certificate::Column::WorkshopId.is_in(ids.clone()))
        .filter(
            // Withdrawn ones were earned: only their holder's data is gone.
            certificate::Column::Status
                .is_in([CertificateStatus::Valid, CertificateStatus::Withdrawn]),
        )
        .group_by(certificate::Column::WorkshopId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let reach: HashMap<i64, (i64, i64)> = workshop_outreach_stats::Entity::find()
        .filter(workshop_outreach_stats::Column::WorkshopId.is_in(all.iter().map(|w| w.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.workshop_id, (s.sessions, s.people_reached)))
        .collect();
    let codes: HashMap<i64, String> = course::Entity::find()
        .filter(course::Column::Id.is_in(all.iter().map(|w| w.course_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();

    let mut totals = CascadeTotals::default();
    let mut children_of: HashMap<Option<i64>, Vec<workshop::Model>> = HashMap::new();
    for w in all.into_iter().skip(1) {
        children_of.entry(w.parent_workshop_id).or_default().push(w);
    }
    fn build(
        w: workshop::Model,
        children_of: &mut HashMap<Option<i64>, Vec<workshop::Model>>,
        certified: &HashMap<i64, i64>,
        reach: &HashMap<i64, (i64, i64)>,
        codes: &HashMap<i64, String>,
        totals: &mut CascadeTotals,
    ) -> CascadeNode {
        let enrolled = u64::try_from(w.seats_taken).unwrap_or(0);
        let completed = if w.status == Status::Completed {
            enrolled
        } else {
            0
        };
        let certified_here = u64::try_from(certified.get(&w.id).copied().unwrap_or(0)).unwrap_or(0);
        totals.workshops += 1;
        totals.enrolled += enrolled;
        totals.completed += completed;
        totals.certified += certified_here;
        if w.level == Level::Tot {
            totals.certified_trainers += certified_here;
        } else {
            totals.trained_below_tot += enrolled;
        }
        let (sessions, people) = reach.get(&w.id).copied().unwrap_or((0, 0));
        let (sessions, people) = (
            u64::try_from(sessions).unwrap_or(0),
            u64::try_from(people).unwrap_or(0),
        );
        totals.outreach_sessions += sessions;
        totals.people_reached += people;
        let kids = children_of.remove(&Some(w.id)).unwrap_or_default();
        let children = kids
            .into_iter()
            .map(|c| build(c, children_of, certified, reach, codes, totals))
            .collect();
        CascadeNode {
            course_code: codes.get(&w.course_id).cloned().unwrap_or_default(),
            workshop: w,
            enrolled,
            completed,
            certified: certified_here,
            outreach_sessions: sessions,
            people_reached: people,
            children,
        }
    }
    let node = build(
        root,
        &mut children_of,
        &certified,
        &reach,
        &codes,
        &mut totals,
    );
    Ok((node, totals))
}

#[cfg(test)]
mod tests {
    use super::CascadeTotals;

    #[test]
    fn the_multiplier_counts_trainees_and_outreach_per_certified_trainer() {
        let totals = CascadeTotals {
            certified_trainers: 3,
            trained_below_tot: 20,
            people_reached: 11,
            ..Default::default()
        };
        assert_eq!(totals.reach_per_trainer(), Some(10.3));
        assert_eq!(CascadeTotals::default().reach_per_trainer(), None);
    }
}
