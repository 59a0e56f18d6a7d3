//! iCalendar export of a workshop's days (RFC 5545), built with the `icalendar` crate.

use chrono::Days;
use icalendar::{Calendar, Component, Event, EventLike};

use crate::{domain::workshop::level_name, services::workshop_queries::WorkshopView};

/// One all-day event per workshop day, with the venue as location and the day's topics.
pub fn workshop_calendar(view: &WorkshopView, public_url: &str) -> String {
    let w = &view.workshop;
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} workshop {}", view.course.code, w.id));
    let total = view.days.len();
    for day in &view.days {
        let topics = if day.topics.is_empty() {
            "Practice and review".to_owned()
        } else {
            day.topics.join("; ")
        };
        let event = Event::new()
            .uid(&format!(
                "cssd-workshop-{}-day-{}@{}",
                w.id,
                day.day,
                host_of(public_url)
            ))
            .summary(&format!(
                "{} — day {} of {}",
                view.course.title, day.day, total
            ))
            .description(&format!(
                "{} ({} workshop). Topics: {topics}",
                view.course.title,
                level_name(w.level)
            ))
            .location(&w.venue)
            // All-day: DTEND is the day after (exclusive), as RFC 5545 wants.
            .starts(day.date)
            .ends(day.date.checked_add_days(Days::new(1)).unwrap_or(day.date))
            .done();
        calendar.push(event);
    }
    calendar.done().to_string()
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("cssd")
}
