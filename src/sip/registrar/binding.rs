//! Bindings (`model::binding`) and how their transport maps to ours.

pub use crate::model::binding::{Binding, BindingTransport};
use crate::sip::transport::Proto;

impl From<Proto> for BindingTransport {
    fn from(p: Proto) -> Self {
        match p {
            Proto::Udp => BindingTransport::Udp,
            Proto::Tcp => BindingTransport::Tcp,
            Proto::Tls => BindingTransport::Tls,
        }
    }
}

impl From<BindingTransport> for Proto {
    fn from(t: BindingTransport) -> Self {
        match t {
            BindingTransport::Udp => Proto::Udp,
            BindingTransport::Tcp => Proto::Tcp,
            BindingTransport::Tls => Proto::Tls,
        }
    }
}
