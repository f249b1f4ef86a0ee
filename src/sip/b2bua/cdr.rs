//! The CDR writer: one record per call (`model::cdr`), stored off the SIP path by the
//! calls' record writer (`record_writer`), which publishes `cdr.created` once it is stored.

pub use crate::model::cdr::{Cdr, Disposition, disposition};

use super::record_writer::{RecordWriter, Write};

pub struct CdrWriter {
    writer: RecordWriter,
}

impl CdrWriter {
    pub fn new(writer: RecordWriter) -> CdrWriter {
        CdrWriter { writer }
    }

    pub fn record(&self, cdr: Cdr) {
        crate::metrics::metrics().calls.with_label_values(&[cdr.disposition.as_str()]).inc();
        if !self.writer.send(Write::Cdr(Box::new(cdr))) {
            tracing::error!("the call record writer has stopped; a CDR is not stored");
        }
    }

    /// Waits until every CDR (and call record) queued so far is stored.
    pub async fn flush(&self) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.writer.send(Write::Flush(tx)) {
            let _ = rx.await;
        }
    }
}
