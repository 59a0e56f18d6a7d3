//! Workshop evaluations: who may submit one and when, what a valid one holds, and the
//! anonymous summary (hidden below [`MIN_RESPONSES_SHOWN`] responses, so that nobody's answers
//! can be singled out).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::FieldError;

/// The lowest and highest rating.
pub const RATING_RANGE: std::ops::RangeInclusive<i32> = 1..=5;

/// Below this many responses a summary shows only the count.
pub const MIN_RESPONSES_SHOWN: usize = 3;

/// The longest free-text answer, in characters.
pub const MAX_COMMENT_CHARS: usize = 2000;

/// The ratings of one evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratings {
    pub overall: i32,
    pub trainers: i32,
    pub venue: i32,
    pub materials: i32,
    /// Course topic → rating.
    pub topics: BTreeMap<String, i32>,
}

/// Whether a participant who attended `days_attended` days may evaluate a workshop whose last
/// day is `last_day`, on `today`. The reason in words when not.
pub fn may_evaluate(
    days_attended: u32,
    last_day: NaiveDate,
    today: NaiveDate,
) -> Result<(), String> {
    if today < last_day {
        return Err(format!(
            "the workshop can be evaluated from its last day, {last_day}"
        ));
    }
    if days_attended == 0 {
        return Err("only participants who attended at least one day can evaluate it".into());
    }
    Ok(())
}

/// Checks every rating is 1..=5 and that the topics rated are topics of the course. Topics may
/// be left unrated (a blank on a paper form): `topics` holds the ones rated.
pub fn check_ratings(ratings: &Ratings, course_topics: &[String]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let out_of_range = |v: i32| !RATING_RANGE.contains(&v);
    for (field, value) in [
        ("ratings.overall", ratings.overall),
        ("ratings.trainers", ratings.trainers),
        ("ratings.venue", ratings.venue),
        ("ratings.materials", ratings.materials),
    ] {
        if out_of_range(value) {
            errors.push(FieldError::new(field, "must be from 1 to 5"));
        }
    }
    for (topic, value) in &ratings.topics {
        let field = format!("ratings.topics.{topic}");
        if !course_topics.contains(topic) {
            errors.push(FieldError::new(
                field,
                "is not a topic of the workshop's course",
            ));
        } else if out_of_range(*value) {
            errors.push(FieldError::new(field, "must be from 1 to 5"));
        }
    }
    errors
}

/// Trims an optional free-text answer: empty becomes none; several lines are fine, but no other
/// control or invisible characters, and at most [`MAX_COMMENT_CHARS`].
pub fn clean_comment(
    field: &str,
    value: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let trimmed = value.map(str::trim).filter(|v| !v.is_empty())?;
    if trimmed.chars().count() > MAX_COMMENT_CHARS {
        errors.push(FieldError::new(
            field,
            format!("must be at most {MAX_COMMENT_CHARS} characters long"),
        ));
    } else if let Some(c) = trimmed.chars().find(|c| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || matches!(*c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060 | 0x2066..=0x2069 | 0xFEFF)
    }) {
        errors.push(FieldError::new(
            field,
            format!("must not contain the invisible or control character U+{:04X}", c as u32),
        ));
    }
    Some(trimmed.to_owned())
}

/// How one question was answered.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionSummary {
    /// `overall`, `trainers`, `venue`, `materials`, or `topic:<topic>`.
    pub question: String,
    pub responses: u32,
    pub average: f64,
    /// How many answered 1, 2, 3, 4 and 5.
    pub distribution: [u32; 5],
}

/// The anonymous summary of a workshop's evaluations.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub responses: u32,
    /// Whether there are enough responses to show more than the count.
    pub shown: bool,
    pub questions: Vec<QuestionSummary>,
    /// Free-text answers, without who wrote them, sorted (not in the order they came).
    pub most_useful: Vec<String>,
    pub suggestions: Vec<String>,
}

/// One evaluation as the summary reads it.
#[derive(Debug, Clone)]
pub struct Response {
    pub ratings: Ratings,
    pub most_useful: Option<String>,
    pub suggestions: Option<String>,
}

/// Summarises the responses: per question the count, average and distribution, in the order
/// overall, trainers, venue, materials, then the course topics; the comments sorted. With fewer
/// than [`MIN_RESPONSES_SHOWN`] responses only the count.
pub fn summarise(responses: &[Response], course_topics: &[String]) -> Summary {
    let count = responses.len() as u32;
    if responses.len() < MIN_RESPONSES_SHOWN {
        return Summary {
            responses: count,
            shown: false,
            questions: vec![],
            most_useful: vec![],
            suggestions: vec![],
        };
    }
    let question = |name: String, values: Vec<i32>| {
        let mut distribution = [0u32; 5];
        for v in &values {
            if RATING_RANGE.contains(v) {
                distribution[(*v - 1) as usize] += 1;
            }
        }
        let answered = distribution.iter().sum::<u32>();
        let sum: i64 = values
            .iter()
            .filter(|v| RATING_RANGE.contains(v))
            .map(|v| i64::from(*v))
            .sum();
        QuestionSummary {
            question: name,
            responses: answered,
            average: if answered == 0 {
                0.0
            } else {
                super::figures::rounded(sum as f64 / f64::from(answered), 2)
            },
            distribution,
        }
    };
    let mut questions = vec![
        question(
            "overall".into(),
            responses.iter().map(|r| r.ratings.overall).collect(),
        ),
        question(
            "trainers".into(),
            responses.iter().map(|r| r.ratings.trainers).collect(),
        ),
        question(
            "venue".into(),
            responses.iter().map(|r| r.ratings.venue).collect(),
        ),
        question(
            "materials".into(),
            responses.iter().map(|r| r.ratings.materials).collect(),
        ),
    ];
    for topic in course_topics {
        questions.push(question(
            format!("topic:{topic}"),
            responses
                .iter()
                .filter_map(|r| r.ratings.topics.get(topic).copied())
                .collect(),
        ));
    }
    let comments = |pick: fn(&Response) -> Option<&String>| {
        let mut all: Vec<String> = responses.iter().filter_map(pick).cloned().collect();
        all.sort();
        all
    };
    Summary {
        responses: count,
        shown: true,
        questions,
        most_useful: comments(|r| r.most_useful.as_ref()),
        suggestions: comments(|r| r.suggestions.as_ref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn topics() -> Vec<String> {
        vec!["Roles".into(), "Trust".into()]
    }

    fn ratings(all: i32) -> Ratings {
        Ratings {
            overall: all,
            trainers: all,
            venue: all,
            materials: all,
            topics: topics().into_iter().map(|t| (t, all)).collect(),
        }
    }

    #[test]
    fn a_participant_who_attended_may_evaluate_from_the_last_day_on() {
        assert!(may_evaluate(1, date("2026-03-06"), date("2026-03-06")).is_ok());
        assert!(may_evaluate(5, date("2026-03-06"), date("2026-04-01")).is_ok());
    }

    #[test]
    fn evaluating_before_the_last_day_began_is_refused() {
        let err = may_evaluate(3, date("2026-03-06"), date("2026-03-05")).unwrap_err();
        assert!(err.contains("2026-03-06"), "{err}");
    }

    #[test]
    fn a_participant_who_attended_no_day_may_not_evaluate() {
        let err = may_evaluate(0, date("2026-03-06"), date("2026-03-09")).unwrap_err();
        assert!(err.contains("at least one day"), "{err}");
    }

    #[test]
    fn ratings_from_one_to_five_for_every_topic_are_accepted() {
        assert!(check_ratings(&ratings(1), &topics()).is_empty());
        assert!(check_ratings(&ratings(5), &topics()).is_empty());
    }

    #[test]
    fn ratings_outside_one_to_five_are_refused_by_field() {
        let mut r = ratings(0);
        r.topics.insert("Roles".into(), 6);
        let fields: Vec<String> = check_ratings(&r, &topics())
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "ratings.overall",
                "ratings.trainers",
                "ratings.venue",
                "ratings.materials",
                "ratings.topics.Roles",
                "ratings.topics.Trust",
            ]
        );
    }

    #[test]
    fn unknown_topics_are_refused_and_unrated_ones_are_a_blank() {
        let mut r = ratings(4);
        r.topics.remove("Trust");
        r.topics.insert("Cooking".into(), 4);
        let errors = check_ratings(&r, &topics());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "ratings.topics.Cooking");
        assert!(errors[0].message.contains("not a topic"));
        let mut blank = ratings(3);
        blank.topics.clear();
        assert!(check_ratings(&blank, &topics()).is_empty());
    }

    #[test]
    fn comments_are_trimmed_may_span_lines_and_refuse_invisible_characters() {
        let mut errors = vec![];
        assert_eq!(
            clean_comment("c", Some("  Good\nvery good "), &mut errors),
            Some("Good\nvery good".into())
        );
        assert_eq!(clean_comment("c", Some("   "), &mut errors), None);
        assert!(errors.is_empty());
        clean_comment("c", Some("a\u{202E}b"), &mut errors);
        clean_comment("d", Some(&"x".repeat(2001)), &mut errors);
        assert_eq!(errors.len(), 2);
        assert!(errors[0].message.contains("U+202E"));
    }

    fn response(all: i32, useful: Option<&str>) -> Response {
        Response {
            ratings: ratings(all),
            most_useful: useful.map(str::to_owned),
            suggestions: None,
        }
    }

    #[test]
    fn fewer_than_three_responses_show_only_the_count() {
        let summary = summarise(&[response(5, Some("All of it"))], &topics());
        assert_eq!(summary.responses, 1);
        assert!(!summary.shown);
        assert!(summary.questions.is_empty() && summary.most_useful.is_empty());
        let two = summarise(&[response(5, None), response(4, None)], &topics());
        assert!(!two.shown);
    }

    #[test]
    fn the_summary_gives_average_and_distribution_per_question_and_sorted_comments() {
        let summary = summarise(
            &[
                response(5, Some("Role plays")),
                response(4, None),
                response(2, Some("Complaints module")),
            ],
            &topics(),
        );
        assert!(summary.shown);
        assert_eq!(summary.responses, 3);
        let names: Vec<&str> = summary
            .questions
            .iter()
            .map(|q| q.question.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "overall",
                "trainers",
                "venue",
                "materials",
                "topic:Roles",
                "topic:Trust"
            ]
        );
        let overall = &summary.questions[0];
        assert_eq!(overall.distribution, [0, 1, 0, 1, 1]);
        assert!((overall.average - 3.67).abs() < 1e-9);
        assert_eq!(summary.most_useful, ["Complaints module", "Role plays"]);
    }
}
