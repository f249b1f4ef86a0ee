//! A TCP forwarder a test can cut and restore: an outage of a server other tests share
//! (the PostgreSQL of the suite) without stopping it. Cutting closes every forwarded
//! connection and the listening socket, so new connections are refused, which is what a
//! client sees while the database host restarts; restoring listens on the same port again.

use std::net::SocketAddr;
use std::sync::Mutex;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub struct CutProxy {
    pub addr: SocketAddr,
    upstream: SocketAddr,
    cuts: watch::Sender<u64>,
    accept: Mutex<Option<JoinHandle<()>>>,
}

impl CutProxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> CutProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy listens");
        let addr = listener.local_addr().expect("proxy address");
        let (cuts, _) = watch::channel(0u64);
        let proxy = CutProxy { addr, upstream, cuts, accept: Mutex::new(None) };
        proxy.serve(listener);
        proxy
    }

    fn serve(&self, listener: TcpListener) {
        let (upstream, cuts) = (self.upstream, self.cuts.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let mut cut_now = cuts.subscribe();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(upstream).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut_now.changed() => {}
                    }
                });
            }
        });
        *self.accept.lock().expect("proxy lock") = Some(task);
    }

    /// Closes every forwarded connection and stops listening until `restore`.
    pub fn cut(&self) {
        if let Some(task) = self.accept.lock().expect("proxy lock").take() {
            task.abort();
        }
        self.cuts.send_modify(|n| *n += 1);
    }

    /// Listens on the same port again (bounded retry while the aborted listener closes).
    pub async fn restore(&self) {
        for _ in 0..100 {
            if let Ok(listener) = TcpListener::bind(self.addr).await {
                self.serve(listener);
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the proxy cannot listen on {} again", self.addr);
    }
}

impl Drop for CutProxy {
    fn drop(&mut self) {
        self.cut();
    }
}
