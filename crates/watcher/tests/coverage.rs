//! Coverage: share of service points visited, overall and per governorate, against the
//! programme's 80% target (department page 004).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::World;
use kernel::organisation::Governorate;
use watcher::{Percentage, Share, coverage};

#[test]
fn coverage_counts_visited_points_overall_and_per_governorate() {
    let world = World::new();
    let sfax: Vec<_> = (0..4).map(|_| world.counter()).collect();
    let kasserine: Vec<_> = (0..2).map(|_| world.phone_line()).collect();
    let visited: BTreeSet<_> = [sfax[0].id, sfax[1].id, sfax[2].id, kasserine[0].id].into();
    let result = coverage(sfax.iter().chain(&kasserine), &visited);
    assert_eq!(
        result.overall,
        Share {
            covered: 4,
            total: 6
        }
    );
    assert_eq!(result.overall.rate(), Some(Percentage::saturating(6_666)));
    assert_eq!(
        result.by_governorate.get(&Governorate::Sfax),
        Some(&Share {
            covered: 3,
            total: 4
        })
    );
    assert_eq!(
        result.by_governorate.get(&Governorate::Kasserine),
        Some(&Share {
            covered: 1,
            total: 2
        })
    );
    assert!(!result.by_governorate.contains_key(&Governorate::Tunis));
}

#[test]
fn the_target_is_met_at_eighty_percent_and_never_without_points() {
    let world = World::new();
    let target = world.config.coverage_target;
    let points: Vec<_> = (0..5).map(|_| world.counter()).collect();
    let four: BTreeSet<_> = points.iter().take(4).map(|p| p.id).collect();
    let three: BTreeSet<_> = points.iter().take(3).map(|p| p.id).collect();
    assert!(coverage(&points, &four).overall.meets(target));
    assert!(!coverage(&points, &three).overall.meets(target));
    let nothing = coverage([], &four);
    assert_eq!(nothing.overall.rate(), None);
    assert!(!nothing.overall.meets(Percentage::ZERO));
}

#[test]
fn a_point_listed_twice_counts_once_and_visits_of_unlisted_points_do_not_count() {
    let world = World::new();
    let point = world.counter();
    let retired = world.counter();
    let visited: BTreeSet<_> = [point.id, retired.id].into();
    let result = coverage([&point, &point], &visited);
    assert_eq!(
        result.overall,
        Share {
            covered: 1,
            total: 1
        }
    );
}
