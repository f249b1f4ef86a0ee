//! `/api/v1/settings/smtp` (the server voicemail e-mails go through; the password is
//! write-only) and `/api/v1/mail/queue` (e-mails waiting, with their attempts and last
//! error).

use std::sync::Arc;

use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::auth::BearerToken;
use super::body::JsonBody;
use super::error::ApiError;
use super::state::ApiState;
use crate::auth::scope::Access;
use crate::model::smtp::{QueuedMail, SmtpSettingsPut, SmtpSettingsView};

#[derive(Debug, Object)]
pub struct MailQueue {
    /// Oldest first; an e-mail leaves the queue once sent.
    pub items: Vec<QueuedMail>,
    pub total: i64,
}

pub struct MailApi;

#[OpenApi(prefix_path = "/api/v1")]
impl MailApi {
    /// The SMTP server voicemail e-mails go through (`configured: false` until set).
    #[oai(path = "/settings/smtp", method = "get", operation_id = "get_smtp_settings", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn get(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<SmtpSettingsView>, ApiError> {
        auth.require(Access::Read)?;
        let current = state.provisioner.store().smtp_settings().await?;
        Ok(Json(SmtpSettingsView::of(current.as_ref())))
    }

    /// Set the SMTP server: `tls` is `none`, `starttls` (default, port 587) or `implicit`
    /// (port 465). The password is stored and never returned; omit it to keep the one set.
    #[oai(path = "/settings/smtp", method = "put", operation_id = "replace_smtp_settings", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn put(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, body: JsonBody<SmtpSettingsPut>) -> Result<Json<SmtpSettingsView>, ApiError> {
        auth.require(Access::Admin)?;
        let body = body.parse()?;
        let store = state.provisioner.store();
        let current = store.smtp_settings().await?;
        let next = body.apply(current.as_ref())?;
        store.save_smtp_settings(&next).await?;
        tracing::info!(host = %next.host, port = next.port, "SMTP settings changed");
        Ok(Json(SmtpSettingsView::of(Some(&next))))
    }

    /// Voicemail e-mails not sent yet (every node's), with their attempts and last error.
    #[oai(path = "/mail/queue", method = "get", operation_id = "list_mail_queue", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn queue(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<MailQueue>, ApiError> {
        auth.require(Access::Read)?;
        let items = state.provisioner.store().mail_queue().await?;
        Ok(Json(MailQueue { total: items.len() as i64, items }))
    }
}
