//! Courses: CSSD, Customer Care and any other IWSD teaches.

use chrono::Utc;
use entity::course;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::{Page, PageRequest, audit};
use crate::domain::{
    Error, Result,
    access::Actor,
    course::{Course, CourseChanges},
};

/// The rules' view of a stored course.
pub fn from_model(model: &course::Model) -> Course {
    Course {
        code: model.code.clone(),
        title: model.title.clone(),
        description: model.description.clone(),
        duration_days: model.duration_days,
        topics: model.topic_list(),
        pass_mark: model.pass_mark,
        min_attendance_days: model.min_attendance_days,
        trainer_certificate_valid_months: model.trainer_certificate_valid_months,
    }
}

async fn ensure_code_free(
    db: &impl ConnectionTrait,
    code: &str,
    except_id: Option<i64>,
) -> Result<()> {
    let mut query = course::Entity::find().filter(course::Column::Code.eq(code));
    if let Some(id) = except_id {
        query = query.filter(course::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(Error::Conflict(format!(
            "a course with code {code} already exists"
        )));
    }
    Ok(())
}

/// Creates a course after checking its rules; a code already taken is a conflict.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    changes: CourseChanges,
) -> Result<course::Model> {
    let course = changes.apply_to(None)?;
    let txn = crate::db::begin_write(db).await?;
    ensure_code_free(&txn, &course.code, None).await?;
    let now = Utc::now();
    let model = course::ActiveModel {
        code: Set(course.code),
        title: Set(course.title),
        description: Set(course.description),
        duration_days: Set(course.duration_days),
        topics: Set(serde_json::json!(course.topics)),
        pass_mark: Set(course.pass_mark),
        min_attendance_days: Set(course.min_attendance_days),
        trainer_certificate_valid_months: Set(course.trainer_certificate_valid_months),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let created = course::Entity::insert(model)
        .exec_with_returning(&txn)
        .await?;
    let after = audit::snapshot(&created);
    audit::record(&txn, actor, "course", created.id, "create", None, after).await?;
    txn.commit().await?;
    Ok(created)
}

/// One course by id.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<course::Model> {
    course::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound {
            entity: "course",
            id,
        })
}

/// One course by its code, if it exists.
pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<course::Model>> {
    Ok(course::Entity::find()
        .filter(course::Column::Code.eq(code.to_uppercase()))
        .one(db)
        .await?)
}

/// Applies a partial update; the result must satisfy every rule a new course does.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    changes: CourseChanges,
) -> Result<course::Model> {
    let txn = crate::db::begin_write(db).await?;
    let current = get(&txn, id).await?;
    let course = changes.apply_to(Some(&from_model(&current)))?;
    if course.code != current.code {
        ensure_code_free(&txn, &course.code, Some(id)).await?;
    }
    let before = audit::snapshot(&current);
    let mut model = current.into_active_model();
    model.code = Set(course.code);
    model.title = Set(course.title);
    model.description = Set(course.description);
    model.duration_days = Set(course.duration_days);
    model.topics = Set(serde_json::json!(course.topics));
    model.pass_mark = Set(course.pass_mark);
    model.min_attendance_days = Set(course.min_attendance_days);
    model.trainer_certificate_valid_months = Set(course.trainer_certificate_valid_months);
    model.updated_at = Set(Utc::now());
    let updated = course::Entity::update(model).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        "course",
        id,
        "update",
        before,
        audit::snapshot(&updated),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Courses ordered by code.
pub async fn list(db: &impl ConnectionTrait, page: PageRequest) -> Result<Page<course::Model>> {
    let query = course::Entity::find().order_by_asc(course::Column::Code);
    let total = query.clone().count(db).await?;
    let items = query.limit(page.limit).offset(page.offset).all(db).await?;
    Ok(Page { items, total })
}
