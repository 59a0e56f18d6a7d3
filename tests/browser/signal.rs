//! The phone's signal: a TCP relay between the browser and the app that can be cut. DevTools'
//! network emulation takes the page offline, but not its service worker; cutting the relay
//! takes everything offline, as in a ward hall with no signal.

use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};

use tokio::{
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

/// A relay to `target`, serving on its own port while the signal is on.
pub struct Signal {
    pub base: String,
    on: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl Signal {
    pub async fn relay_to(target: std::net::SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let on = Arc::new(AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accept = {
            let (on, connections) = (on.clone(), connections.clone());
            tokio::spawn(async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    if !on.load(Ordering::SeqCst) {
                        drop(inbound);
                        continue;
                    }
                    let task = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(target).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                    connections.lock().unwrap().push(task);
                }
            })
        };
        Self {
            base,
            on,
            connections,
            accept,
        }
    }

    /// Cuts every open connection and refuses new ones, or lets them through again.
    pub fn set(&self, on: bool) {
        self.on.store(on, Ordering::SeqCst);
        if !on {
            for task in self.connections.lock().unwrap().drain(..) {
                task.abort();
            }
        }
    }
}

impl Drop for Signal {
    fn drop(&mut self) {
        self.accept.abort();
        self.set(false);
    }
}
