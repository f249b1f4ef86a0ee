//! Voicemail to e-mail: the sender of the queue the store keeps (an e-mail is queued in
//! the transaction that stores its message). Each node sends the e-mails of the messages
//! it recorded, over SMTP with an async client (lettre), and tries a failed one again with
//! growing back-off: a mail server that is down delays e-mails, it loses none.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::Voicemail;
use crate::model::smtp::{SmtpSettings, SmtpTls};
use crate::model::voicemail::VoicemailMessage;
use crate::snapshot::SnapshotHandle;
use crate::store::Store;
use crate::store::mail::DueMail;

/// How often the queue is looked at without being woken.
const POLL: Duration = Duration::from_secs(2);
/// E-mails sent per round.
const BATCH: u32 = 20;

/// The wait before attempt `attempts + 1`: 5 s doubling, at most 15 minutes.
pub fn backoff(attempts: u32) -> Duration {
    Duration::from_secs(5u64.saturating_mul(1u64 << attempts.min(16)).min(900))
}

pub fn start(voicemail: Arc<Voicemail>, store: Store, snapshot: Arc<SnapshotHandle>) {
    let weak = Arc::downgrade(&voicemail);
    drop(voicemail);
    tokio::spawn(async move {
        loop {
            let Some(voicemail) = weak.upgrade() else { break };
            tokio::select! {
                _ = voicemail.mail_waiting.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
            if let Err(e) = round(&voicemail, &store, &snapshot).await {
                tracing::warn!(error = %e, "voicemail e-mail queue");
            }
        }
    });
}

async fn round(voicemail: &Voicemail, store: &Store, snapshot: &SnapshotHandle) -> Result<(), crate::store::StoreError> {
    let Some(settings) = store.smtp_settings().await? else { return Ok(()) };
    for due in store.due_mail(BATCH).await? {
        let Some(message) = store.voicemail_message(&due.extension_id, &due.mail.message_id).await? else {
            // Deleted before it was e-mailed: nothing to send.
            store.mail_sent(&due.mail.id).await?;
            continue;
        };
        let snap = snapshot.get();
        let settings_of_box = snap.extensions.get(&due.extension_id).and_then(|e| e.extension.voicemail.clone());
        let attach = settings_of_box.as_ref().is_some_and(|b| b.attach);
        match send(&settings, voicemail, &due, &message, attach).await {
            Ok(()) => {
                tracing::info!(to = %due.mail.to, message = %message.id, "voicemail e-mailed");
                store.mail_sent(&due.mail.id).await?;
                if settings_of_box.is_some_and(|b| b.delete_after_email) {
                    if let Err(e) = voicemail.delete(&message.extension_id, &message.number, &message.id).await {
                        tracing::warn!(message = %message.id, error = %e, "the e-mailed voicemail could not be deleted");
                    }
                }
            }
            Err(error) => {
                let next = chrono::Utc::now() + backoff(due.mail.attempts);
                tracing::warn!(to = %due.mail.to, attempts = due.mail.attempts + 1, %error, %next, "voicemail e-mail not sent; trying again");
                store.mail_failed(&due.mail.id, &error, next).await?;
            }
        }
    }
    Ok(())
}

/// The e-mail of `message`: who called, when, how long; the WAV attached when asked.
async fn compose(settings: &SmtpSettings, voicemail: &Voicemail, to: &str, message: &VoicemailMessage, attach: bool) -> Result<Message, String> {
    let from: Mailbox = settings.from.parse().map_err(|e| format!("from: {e}"))?;
    let to: Mailbox = to.parse().map_err(|e| format!("to: {e}"))?;
    let text = format!(
        "New voicemail for {} from {}.\n\nReceived: {}\nDuration: {:.1} s\n",
        message.number,
        message.caller,
        message.received_at.format("%Y-%m-%d %H:%M:%S UTC"),
        message.duration_s
    );
    let mut body = MultiPart::mixed().singlepart(SinglePart::plain(text));
    if attach {
        let path = voicemail.audio_path(&message.extension_id, &message.id);
        let wav = tokio::fs::read(&path).await.map_err(|e| format!("reading {}: {e}", path.display()))?;
        let kind = ContentType::parse("audio/wav").map_err(|e| e.to_string())?;
        body = body.singlepart(Attachment::new(format!("voicemail-{}.wav", message.id)).body(wav, kind));
    }
    Message::builder()
        .from(from)
        .to(to)
        .subject(format!("Voicemail from {} ({:.0} s)", message.caller, message.duration_s))
        .multipart(body)
        .map_err(|e| e.to_string())
}

async fn send(settings: &SmtpSettings, voicemail: &Voicemail, due: &DueMail, message: &VoicemailMessage, attach: bool) -> Result<(), String> {
    let email = compose(settings, voicemail, &due.mail.to, message, attach).await?;
    let builder = match settings.tls {
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host),
        SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host).map_err(|e| e.to_string())?,
        SmtpTls::Implicit => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host).map_err(|e| e.to_string())?,
    };
    let mut builder = builder.port(settings.port).timeout(Some(Duration::from_secs(30)));
    if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    builder.build().send(email).await.map(|_| ()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_from_five_seconds_up_to_fifteen_minutes() {
        assert_eq!(backoff(0), Duration::from_secs(5));
        assert_eq!(backoff(1), Duration::from_secs(10));
        assert_eq!(backoff(3), Duration::from_secs(40));
        assert_eq!(backoff(10), Duration::from_secs(900));
        assert_eq!(backoff(60), Duration::from_secs(900));
    }
}
