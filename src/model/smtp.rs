//! The SMTP server voicemail e-mails go through (`/api/v1/settings/smtp`). The password is
//! write-only: stored, never read back.

use poem_openapi::{Enum, Object};
use poem_openapi::types::MaybeUndefined;
use serde::{Deserialize, Serialize};

use super::validate::{Checker, Invalid};
use super::values;

/// How the connection to the server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain text (a relay on the same host or network only).
    None,
    /// STARTTLS, required (RFC 3207; port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (RFC 8314; port 465).
    Implicit,
}

/// The settings as stored (with the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

/// The settings as the API shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SmtpSettingsView {
    /// Whether voicemail e-mails can be sent (a server is set).
    pub configured: bool,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<SmtpTls>,
    pub username: Option<String>,
    /// Whether a password is set (it is never returned).
    pub has_password: bool,
    pub from: Option<String>,
}

impl SmtpSettingsView {
    pub fn of(s: Option<&SmtpSettings>) -> SmtpSettingsView {
        match s {
            None => SmtpSettingsView { configured: false, host: None, port: None, tls: None, username: None, has_password: false, from: None },
            Some(s) => SmtpSettingsView {
                configured: true,
                host: Some(s.host.clone()),
                port: Some(s.port),
                tls: Some(s.tls),
                username: s.username.clone(),
                has_password: s.password.is_some(),
                from: Some(s.from.clone()),
            },
        }
    }
}

/// Body of `PUT /api/v1/settings/smtp`.
#[derive(Debug, Clone, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct SmtpSettingsPut {
    pub host: String,
    /// Default: 587 (STARTTLS), 465 (implicit TLS), 25 (none).
    pub port: Option<u16>,
    #[oai(default)]
    #[serde(default)]
    pub tls: SmtpTls,
    pub username: Option<String>,
    /// Write-only. Absent: the stored password stays; `null`: no password.
    #[oai(write_only)]
    #[serde(default)]
    pub password: MaybeUndefined<String>,
    /// The sender address of voicemail e-mails.
    pub from: String,
}

impl SmtpSettingsPut {
    /// The settings this body makes, given the stored ones.
    pub fn apply(self, current: Option<&SmtpSettings>) -> Result<SmtpSettings, Invalid> {
        let mut c = Checker::new();
        c.check("host", values::sip_token(&self.host, 253));
        c.check("from", values::email(&self.from));
        if let Some(u) = &self.username {
            c.check("username", values::text(u, 128));
        }
        let password = match self.password {
            MaybeUndefined::Undefined => current.and_then(|s| s.password.clone()),
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(p) => {
                c.check("password", values::text(&p, 256));
                Some(p)
            }
        };
        if password.is_some() && self.username.is_none() {
            c.fail("username", "is needed with a password");
        }
        if self.port == Some(0) {
            c.fail("port", "must be between 1 and 65535");
        }
        c.finish()?;
        let port = self.port.unwrap_or(match self.tls {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Implicit => 465,
        });
        Ok(SmtpSettings { host: self.host, port, tls: self.tls, username: self.username, password, from: self.from })
    }
}

/// A voicemail e-mail in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QueuedMail {
    pub id: String,
    /// The voicemail message it carries.
    pub message_id: String,
    pub to: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub attempts: u32,
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    pub last_error: Option<String>,
}
