//! The CDR writer: one record per call (`model::cdr`), stored by a background task off
//! the SIP path.

pub use crate::model::cdr::{Cdr, Disposition, disposition};

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::events::EventBus;
use crate::store::Store;

pub struct CdrWriter {
    tx: mpsc::UnboundedSender<CdrWrite>,
}

enum CdrWrite {
    Record(Box<Cdr>),
    Flush(tokio::sync::oneshot::Sender<()>),
}

impl CdrWriter {
    pub fn start(store: Store, bus: Arc<EventBus>) -> CdrWriter {
        let (tx, mut rx) = mpsc::unbounded_channel::<CdrWrite>();
        tokio::spawn(async move {
            while let Some(w) = rx.recv().await {
                match w {
                    CdrWrite::Record(cdr) => match store.insert_cdr(&cdr).await {
                        Ok(()) => {
                            bus.publish(crate::events::EventPayload::CdrCreated((*cdr).clone()));
                        }
                        Err(e) => tracing::error!(error = %e, call = %cdr.id, "cannot store a CDR"),
                    },
                    CdrWrite::Flush(done) => {
                        let _ = done.send(());
                    }
                }
            }
        });
        CdrWriter { tx }
    }

    pub fn record(&self, cdr: Cdr) {
        crate::metrics::metrics().calls.with_label_values(&[cdr.disposition.as_str()]).inc();
        let _ = self.tx.send(CdrWrite::Record(Box::new(cdr)));
    }

    pub async fn flush(&self) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.tx.send(CdrWrite::Flush(tx)).is_ok() {
            let _ = rx.await;
        }
    }
}
