//! What a holder shows others: the share links of a certificate (LinkedIn's add-to-profile
//! link and the verification page) and its baked Open Badges 3.0 badge (the course's badge
//! image with the signed credential in it).

use entity::{certificate, course, workshop::Level};
use sea_orm::{ConnectionTrait, EntityTrait};

use super::{
    certificates::ensure_standing,
    courses,
    credentials::{self, ISSUER_NAME, Keyring},
};
use crate::{
    credential::badge,
    domain::{
        Error, Result,
        certification::valid_until,
        sharing::{Certification, linkedin_add_to_profile},
    },
};

/// Where a certificate can be shown.
#[derive(Debug, Clone)]
pub struct ShareLinks {
    /// LinkedIn's add-to-profile link, filled in.
    pub linkedin_url: String,
    /// The verification page anyone can open.
    pub verify_url: String,
}

/// The name a certificate goes by elsewhere: "<course> — <level in words>".
pub fn certification_name(c: &certificate::Model) -> String {
    format!(
        "{} \u{2014} {}",
        c.course_title,
        crate::certificate::level_words(c.level)
    )
}

/// The share links of a certificate that stands (409 for a revoked or replaced one). A ToT
/// certificate of a course whose trainer certification lapses carries its expiry too.
pub async fn share_links(
    db: &impl ConnectionTrait,
    public_url: &str,
    c: &certificate::Model,
) -> Result<ShareLinks> {
    ensure_standing(db, c).await?;
    let verify_url = super::certificates::verification_url(public_url, &c.verification_code);
    let lapses = if c.level == Level::Tot {
        let months = course::Entity::find_by_id(c.course_id)
            .one(db)
            .await?
            .and_then(|course| course.trainer_certificate_valid_months);
        valid_until(c.end_date, months)
    } else {
        None
    };
    let name = certification_name(c);
    let linkedin_url = linkedin_add_to_profile(&Certification {
        name: &name,
        organization: ISSUER_NAME,
        issued_on: c.issued_on,
        valid_until: lapses,
        url: &verify_url,
        id: &c.number,
    });
    Ok(ShareLinks {
        linkedin_url,
        verify_url,
    })
}

/// The certificate's baked badge: the course's badge (colour from the course, stars for the
/// level) as a PNG carrying the signed credential in its `openbadgecredential` iTXt chunk.
pub async fn baked_badge(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
    public_url: &str,
    c: &certificate::Model,
) -> Result<Vec<u8>> {
    let issuer = credentials::issuer(public_url);
    let jwt = credentials::signed_certificate_credential(db, keyring, &issuer, c).await?;
    let (code, level) = (c.course_code.clone(), c.level);
    tokio::task::spawn_blocking(move || badge::bake(&code, level, &jwt))
        .await
        .map_err(|e| Error::internal("drawing the badge stopped", e))?
        .map_err(|e| Error::internal("drawing the badge failed", e))
}

/// The picture of a course's achievement at `level` (the credential's achievement `image`):
/// `None` when no course has this code.
pub async fn achievement_badge(
    db: &impl ConnectionTrait,
    course_code: &str,
    level: Level,
) -> Result<Option<Vec<u8>>> {
    let Some(course) = courses::find_by_code(db, course_code).await? else {
        return Ok(None);
    };
    tokio::task::spawn_blocking(move || badge::draw(&course.code, level))
        .await
        .map_err(|e| Error::internal("drawing the badge stopped", e))?
        .map(Some)
        .map_err(|e| Error::internal("drawing the badge failed", e))
}
