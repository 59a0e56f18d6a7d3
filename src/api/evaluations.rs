//! Workshop evaluations: submitted by participants (or typed in from paper forms), read back as
//! an anonymous summary or a spreadsheet by administrators and the workshop's trainers.

use crate::api::timestamp::Timestamp;
use std::collections::BTreeMap;

use poem::web::Data;
use poem_openapi::{
    ApiResponse, Object, OpenApi,
    param::{Header, Path},
    payload::{Binary, Json},
};

use super::{JsonBody, Tag, csv_export::CsvFile};
use crate::{
    auth::{CanEvaluate, CanReadEvaluations},
    domain::evaluation::{MIN_RESPONSES_SHOWN, Ratings, Summary},
    error::ApiError,
    services::csv_export::csv_file,
    services::evaluations::{self as service, NewEvaluation},
    services::paper_evaluation,
    state::AppState,
};

/// The ratings of an evaluation, each from 1 (poor) to 5 (excellent).
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EvaluationRatings {
    /// The workshop as a whole.
    #[oai(validator(minimum(value = "1"), maximum(value = "5")))]
    pub overall: i32,
    /// The trainers.
    #[oai(validator(minimum(value = "1"), maximum(value = "5")))]
    pub trainers: i32,
    /// The venue.
    #[oai(validator(minimum(value = "1"), maximum(value = "5")))]
    pub venue: i32,
    /// The materials handed out.
    #[oai(validator(minimum(value = "1"), maximum(value = "5")))]
    pub materials: i32,
    /// The topics of the workshop's course that were rated, by name, each 1..=5; a topic left
    /// unrated (a blank on a paper form) is left out, and with none rated so may `topics`.
    pub topics: Option<BTreeMap<String, i32>>,
}

/// An evaluation as submitted.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateEvaluation {
    /// Whose evaluation: required when an administrator enters a paper form; a participant
    /// leaves it out (or gives their own).
    pub participant_id: Option<i64>,
    pub ratings: EvaluationRatings,
    /// What was most useful (up to 2000 characters; several lines allowed).
    #[oai(validator(max_length = 2000))]
    pub most_useful: Option<String>,
    /// What could be better (up to 2000 characters; several lines allowed).
    #[oai(validator(max_length = 2000))]
    pub suggestions: Option<String>,
}

/// A submitted evaluation, as its author sees it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Evaluation {
    pub id: i64,
    pub workshop_id: i64,
    pub participant_id: i64,
    pub created_at: Timestamp,
}

/// How one question was answered.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QuestionSummary {
    /// `overall`, `trainers`, `venue`, `materials`, or `topic:<course topic>`.
    pub question: String,
    pub responses: u32,
    /// The mean rating, to two decimals.
    pub average: f64,
    /// How many answered 1, 2, 3, 4 and 5 (five numbers).
    pub distribution: Vec<u32>,
}

/// The anonymous summary of a workshop's evaluations.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EvaluationSummary {
    pub workshop_id: i64,
    /// How many evaluations were submitted.
    pub responses: u32,
    /// False with fewer than 3 responses: then only the count is shown, so no answer can be
    /// traced to a person.
    pub shown: bool,
    pub questions: Vec<QuestionSummary>,
    /// Answers to "what was most useful", without names, sorted.
    pub most_useful: Vec<String>,
    /// Answers to "what could be better", without names, sorted.
    pub suggestions: Vec<String>,
}

impl EvaluationSummary {
    fn new(workshop_id: i64, s: Summary) -> Self {
        Self {
            workshop_id,
            responses: s.responses,
            shown: s.shown,
            questions: s
                .questions
                .into_iter()
                .map(|q| QuestionSummary {
                    question: q.question,
                    responses: q.responses,
                    average: q.average,
                    distribution: q.distribution.to_vec(),
                })
                .collect(),
            most_useful: s.most_useful,
            suggestions: s.suggestions,
        }
    }
}

#[derive(ApiResponse)]
enum Created {
    /// The evaluation is recorded.
    #[oai(status = 201)]
    Created(Json<Evaluation>),
}

pub struct EvaluationApi;

/// The printable paper evaluation form.
#[derive(ApiResponse)]
enum PaperFormResponse {
    /// The form as an A4 PDF.
    #[oai(status = 200, content_type = "application/pdf")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
    ),
}

#[OpenApi(prefix_path = "/api/v1", tag = "Tag::Evaluations")]
impl EvaluationApi {
    /// Submit an evaluation of a workshop
    ///
    /// By the participant themself, or by an administrator typing in a paper form (then with
    /// `participant_id`). The participant held a seat and attended at least one day, and the
    /// workshop's last day has begun (409 otherwise); one evaluation per participant and workshop
    /// (409 for a second). Every rating given is 1..=5 (422). Topics may be left unrated (a blank
    /// on a paper form): `ratings.topics` holds the ones rated, each a course topic (422 if not).
    #[oai(
        path = "/workshops/:id/evaluations",
        method = "post",
        operation_id = "create_evaluation"
    )]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: CanEvaluate,
        id: Path<i64>,
        /// Makes a retry of this request return the first response instead of a 409.
        #[oai(name = "Idempotency-Key")]
        _idempotency_key: Header<Option<String>>,
        body: JsonBody<CreateEvaluation>,
    ) -> Result<Created, ApiError> {
        let b = body.0;
        let new = NewEvaluation {
            participant_id: b.participant_id,
            ratings: Ratings {
                overall: b.ratings.overall,
                trainers: b.ratings.trainers,
                venue: b.ratings.venue,
                materials: b.ratings.materials,
                topics: b.ratings.topics.unwrap_or_default(),
            },
            most_useful: b.most_useful,
            suggestions: b.suggestions,
        };
        let saved = service::submit(&state.db, &auth.0, id.0, new).await?;
        Ok(Created::Created(Json(Evaluation {
            id: saved.id,
            workshop_id: saved.workshop_id,
            participant_id: saved.participant_id,
            created_at: saved.created_at.into(),
        })))
    }

    /// The anonymous summary of a workshop's evaluations
    ///
    /// For administrators and the workshop's own trainers: per question the number of answers,
    /// the average and the distribution of ratings, and the comments without names. With fewer
    /// than 3 responses only the count.
    #[oai(
        path = "/workshops/:id/evaluations/summary",
        method = "get",
        operation_id = "get_evaluation_summary"
    )]
    async fn summary(
        &self,
        state: Data<&AppState>,
        auth: CanReadEvaluations,
        id: Path<i64>,
    ) -> Result<Json<EvaluationSummary>, ApiError> {
        let summary = service::summary(&state.db, &auth.0, id.0).await?;
        Ok(Json(EvaluationSummary::new(id.0, summary)))
    }

    /// The printable paper evaluation form
    ///
    /// An A4 PDF (English) with the same questions as the portal's evaluation form: the workshop
    /// overall, trainers, venue and materials, each course topic (a blank is "not rated") and the
    /// two comments, each rating as five boxes 1–5, for workshops where participants have no
    /// phone. Administrators type the filled-in forms in with `POST …/evaluations` (naming the
    /// participant; a blank topic is left out of `ratings.topics`). Same access as the summary.
    #[oai(
        path = "/workshops/:id/evaluation-form.pdf",
        method = "get",
        operation_id = "get_evaluation_form_pdf"
    )]
    async fn paper_form(
        &self,
        state: Data<&AppState>,
        auth: CanReadEvaluations,
        id: Path<i64>,
    ) -> Result<PaperFormResponse, ApiError> {
        let pdf = paper_evaluation::form_pdf(&state.db, &auth.0, id.0).await?;
        Ok(PaperFormResponse::Ok(
            Binary(pdf),
            format!("inline; filename=\"evaluation-form-{}.pdf\"", id.0),
        ))
    }

    /// A workshop's evaluations as CSV
    ///
    /// One row per evaluation without names or ids, in an order that says nothing of who
    /// answered when: `overall, trainers, venue, materials`, one column per course topic,
    /// `most_useful, suggestions`. Only the header row with fewer than 3 responses. Same access
    /// as the summary.
    #[oai(
        path = "/workshops/:id/evaluations.csv",
        method = "get",
        operation_id = "get_evaluations_csv"
    )]
    async fn csv(
        &self,
        state: Data<&AppState>,
        auth: CanReadEvaluations,
        id: Path<i64>,
    ) -> Result<CsvFile, ApiError> {
        let (topics, responses) = service::responses(&state.db, &auth.0, id.0).await?;
        debug_assert!(responses.is_empty() || responses.len() >= MIN_RESPONSES_SHOWN);
        let mut header: Vec<String> = ["overall", "trainers", "venue", "materials"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        header.extend(topics.iter().map(|t| format!("topic: {t}")));
        header.extend(["most_useful".to_owned(), "suggestions".to_owned()]);
        let rows = responses
            .into_iter()
            .map(|r| {
                let mut row = vec![
                    r.ratings.overall.to_string(),
                    r.ratings.trainers.to_string(),
                    r.ratings.venue.to_string(),
                    r.ratings.materials.to_string(),
                ];
                row.extend(topics.iter().map(|t| {
                    r.ratings
                        .topics
                        .get(t)
                        .map(ToString::to_string)
                        .unwrap_or_default()
                }));
                row.push(r.most_useful.unwrap_or_default());
                row.push(r.suggestions.unwrap_or_default());
                row
            })
            .collect::<Vec<Vec<String>>>();
        Ok(csv_file(&format!("workshop-{}-evaluations.csv", id.0), header, rows)?.into())
    }
}
