//! Users and API keys: create an account, deactivate or reactivate it; create a key (shown
//! once), revoke it.

use askama::Template;
use entity::app_user::Role;
use poem::{
    Request, Response, handler,
    http::StatusCode,
    web::{Data, Path, Query},
};
use sea_orm::{ActiveEnum, Iterable};
use serde::Deserialize;

use super::{Admin, AdminForm, FieldErrors, confirm, words, workshops::Choice};
use crate::{
    domain::{Error, access::Scope},
    services::{
        PageRequest,
        accounts::{self, NewUser, UserChanges},
    },
    state::AppState,
    web::{errors, i18n::AdminStrings, page},
};

struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: String,
    active: bool,
}

struct KeyRow {
    id: i64,
    name: String,
    scopes: String,
    prefix: String,
    created: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: page::Layout,
    a: &'static AdminStrings,
    notice: Option<String>,
    errors: FieldErrors,
    key_errors: FieldErrors,
    users: Vec<UserRow>,
    keys: Vec<KeyRow>,
    roles: Vec<Choice>,
    scopes: Vec<Choice>,
    name: String,
    email: String,
    key_name: String,
    new_key: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    notice: Option<String>,
}

fn role_words(role: Role) -> String {
    let key = role.to_value();
    words()
        .roles
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key.clone(), |(_, w)| (*w).to_owned())
}

/// What the page shows besides the lists (a refused form, a new key).
#[derive(Default)]
struct Extra {
    notice: Option<String>,
    errors: FieldErrors,
    key_errors: FieldErrors,
    form: UserForm,
    key_name: String,
    scopes: Vec<String>,
    new_key: Option<String>,
}

async fn render(
    req: &Request,
    admin: &Admin,
    state: &AppState,
    extra: Extra,
    status: StatusCode,
) -> Response {
    let a = words();
    let all = PageRequest {
        limit: 1000,
        offset: 0,
    };
    let found = tokio::try_join!(
        accounts::list_users(&state.db, None, all),
        accounts::list_api_keys(&state.db, all),
    );
    let (users, keys) = match found {
        Ok(found) => found,
        Err(err) => return errors::from_domain(req, err),
    };
    let role = extra.form.role.clone().unwrap_or_default();
    let page = UsersPage {
        layout: admin.layout(a.nav_users),
        a,
        notice: extra.notice,
        errors: extra.errors,
        key_errors: extra.key_errors,
        users: users
            .items
            .into_iter()
            .map(|u| UserRow {
                id: u.id,
                role: role_words(u.role),
                active: u.deactivated_at.is_none(),
                name: u.name,
                email: u.email,
            })
            .collect(),
        keys: keys
            .items
            .into_iter()
            .map(|k| KeyRow {
                id: k.id,
                scopes: k.scopes.clone(),
                prefix: k.key_prefix.clone(),
                created: k.created_at.format("%Y-%m-%d").to_string(),
                revoked: k.revoked_at.is_some(),
                name: k.name,
            })
            .collect(),
        roles: Role::iter()
            .map(|r| Choice {
                selected: r.to_value() == role,
                value: r.to_value(),
                label: role_words(r),
            })
            .collect(),
        scopes: Scope::ALL
            .iter()
            .map(|s| Choice {
                selected: extra.scopes.iter().any(|x| x == s.as_str()),
                value: s.as_str().to_owned(),
                label: s.as_str().to_owned(),
            })
            .collect(),
        name: extra.form.name.clone().unwrap_or_default(),
        email: extra.form.email.clone().unwrap_or_default(),
        key_name: extra.key_name,
        new_key: extra.new_key,
    };
    admin.html(status, &page)
}

/// `GET /admin/users`: the accounts and the API keys.
#[handler]
pub async fn list(
    req: &Request,
    state: Data<&AppState>,
    Query(q): Query<UsersQuery>,
    admin: Admin,
) -> Response {
    let extra = Extra {
        notice: q.notice.as_deref().and_then(|k| words().notice(k, 0)),
        ..Default::default()
    };
    render(req, &admin, &state, extra, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct UserForm {
    name: Option<String>,
    email: Option<String>,
    role: Option<String>,
    password: Option<String>,
}

fn status_of(err: &Error) -> StatusCode {
    match err {
        Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// `POST /admin/users`: creates an account (the API's `POST /users`).
#[handler]
pub async fn create_user(
    req: &Request,
    state: Data<&AppState>,
    AdminForm(admin, form): AdminForm<UserForm>,
) -> Response {
    let mut errors = FieldErrors::default();
    let role = Role::iter().find(|r| Some(r.to_value()) == form.role);
    let Some(role) = role else {
        errors.add("role", words().choose_one);
        let extra = Extra {
            errors,
            form,
            ..Default::default()
        };
        return render(req, &admin, &state, extra, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let new = NewUser {
        name: form.name.clone().unwrap_or_default(),
        email: form.email.clone().unwrap_or_default(),
        role,
        password: form.password.clone().unwrap_or_default(),
        participant_id: None,
    };
    match accounts::create_user(&state.db, &state.sign_in.hashing, &admin.actor(), new).await {
        Ok(_) => page::see_other("/admin/users?notice=user_created", &[]),
        Err(err) => {
            let status = status_of(&err);
            match FieldErrors::from_error(err) {
                Ok(errors) => {
                    let extra = Extra {
                        errors,
                        form,
                        ..Default::default()
                    };
                    render(req, &admin, &state, extra, status).await
                }
                Err(other) => errors::from_domain(req, other),
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    active: Option<String>,
    /// `yes` once the administrator has seen what deactivating does.
    confirm: Option<String>,
}

/// `POST /admin/users/{id}/active`: `active=false` deactivates (every session ends at once),
/// `active=true` reactivates.
#[handler]
pub async fn set_active(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<ActiveForm>,
) -> Response {
    let active = form.active.as_deref() == Some("true");
    if !active && !confirm::confirmed(form.confirm.as_deref()) {
        let a = words();
        return match accounts::get_user(&state.db, id).await {
            Ok(user) => confirm::page(
                &admin,
                a.confirm_title,
                confirm::Confirm {
                    question: (a.confirm_deactivate)(&user.name, &user.email),
                    consequences: vec![a.deactivate_effects.to_owned()],
                    action: format!("/admin/users/{id}/active"),
                    fields: vec![("active".to_owned(), "false".to_owned())],
                    button: a.deactivate,
                    back: "/admin/users".to_owned(),
                },
            ),
            Err(err) => errors::from_domain(req, err),
        };
    }
    let changes = UserChanges {
        name: None,
        role: None,
        active: Some(active),
    };
    match accounts::update_user(&state.db, &admin.actor(), id, changes).await {
        Ok(_) => {
            state.auth_cache.forget_user(id);
            let notice = if active { "reactivated" } else { "deactivated" };
            page::see_other(&format!("/admin/users?notice={notice}"), &[])
        }
        Err(err) => {
            let status = status_of(&err);
            match FieldErrors::from_error(err) {
                Ok(errors) => {
                    let extra = Extra {
                        errors,
                        ..Default::default()
                    };
                    render(req, &admin, &state, extra, status).await
                }
                Err(other) => errors::from_domain(req, other),
            }
        }
    }
}

/// `POST /admin/api-keys`: creates a key; the page shows it this once.
#[handler]
pub async fn create_key(
    req: &Request,
    state: Data<&AppState>,
    AdminForm(admin, pairs): AdminForm<Vec<(String, String)>>,
) -> Response {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let name = value("key_name").unwrap_or_default();
    let scopes: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "scopes")
        .map(|(_, v)| v.clone())
        .collect();
    match accounts::create_api_key(&state.db, &admin.actor(), &name, &scopes).await {
        Ok((_, key)) => {
            let extra = Extra {
                notice: words().notice("key_created", 0),
                new_key: Some(key),
                ..Default::default()
            };
            render(req, &admin, &state, extra, StatusCode::CREATED).await
        }
        Err(err) => {
            let status = status_of(&err);
            match FieldErrors::from_error(err) {
                Ok(key_errors) => {
                    let extra = Extra {
                        key_errors,
                        key_name: name,
                        scopes,
                        ..Default::default()
                    };
                    render(req, &admin, &state, extra, status).await
                }
                Err(other) => errors::from_domain(req, other),
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    /// `yes` once the administrator has seen what revoking does.
    confirm: Option<String>,
}

/// `POST /admin/api-keys/{id}/revoke`: the key stops working at once.
#[handler]
pub async fn revoke_key(
    req: &Request,
    state: Data<&AppState>,
    Path(id): Path<i64>,
    AdminForm(admin, form): AdminForm<RevokeForm>,
) -> Response {
    if !confirm::confirmed(form.confirm.as_deref()) {
        let a = words();
        let all = PageRequest {
            limit: 1000,
            offset: 0,
        };
        return match accounts::list_api_keys(&state.db, all).await {
            Ok(keys) => match keys.items.into_iter().find(|k| k.id == id) {
                Some(key) => confirm::page(
                    &admin,
                    a.confirm_title,
                    confirm::Confirm {
                        question: (a.confirm_revoke_key)(&key.name),
                        consequences: vec![a.revoke_key_effects.to_owned()],
                        action: format!("/admin/api-keys/{id}/revoke"),
                        fields: vec![],
                        button: a.revoke,
                        back: "/admin/users".to_owned(),
                    },
                ),
                None => errors::from_domain(
                    req,
                    crate::domain::Error::NotFound {
                        entity: "api key",
                        id,
                    },
                ),
            },
            Err(err) => errors::from_domain(req, err),
        };
    }
    match accounts::revoke_api_key(&state.db, &admin.actor(), id).await {
        Ok(_) => {
            state.auth_cache.forget_api_key(id);
            page::see_other("/admin/users?notice=key_revoked", &[])
        }
        Err(err) => errors::from_domain(req, err),
    }
}
