//! The HTTP server loop: hyper (HTTP/1.1 and HTTP/2) over the given listener, serving the poem
//! endpoint, with every phase of a connection bounded in time and the connections bounded in
//! number.
//!
//! poem's `Server` builds hyper's connection without a timer, and without a timer hyper cannot
//! time out a client that sends half its headers and then nothing. Here the connection builder
//! gets tokio's timer (HTTP/1's header-read timeout), and each connection is watched besides:
//! one with no request in progress (from the start of a request until its response has been
//! sent) for [`ServeOptions::idle_timeout`] is closed, whatever phase it is in (silent after
//! connecting, half a protocol preface, an HTTP/2 request's headers never finished, an idle
//! keep-alive). Bytes received outside a request do not count as activity: trickling a byte at
//! a time, or HTTP/2 pings, keep nothing open.
//!
//! At most [`ServeOptions::max_connections`] connections are served at once; past nine tenths
//! of them, connections with no request in progress are closed to make room (as a proxy drops
//! idle keep-alives), so that a new client — a health check — still gets in. Past the limit,
//! new connections wait in the kernel's accept queue. Shutdown is graceful: no new
//! connections, requests in flight finish (up to a grace period).
//!

use std::{
    convert::Infallible,
    future::Future,
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
};
use poem::{Addr, Endpoint, EndpointExt, web::LocalAddr, web::RemoteAddr};
use tokio::{
    sync::{Semaphore, watch},
    time::Instant,
};

/// How the server treats connections.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// An HTTP/1 request's headers must arrive within this time.
    pub header_read_timeout: Duration,
    /// A connection with no request in progress and nothing written to it for this long is
    /// closed.
    pub idle_timeout: Duration,
    /// The most connections served at once.
    pub max_connections: usize,
    /// How long requests in flight may take to finish at shutdown.
    pub grace: Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see [`crate::forwarded`]).
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
}

/// What a connection has been doing: requests in progress, and when the last one ended (or the
/// connection was accepted).
#[derive(Debug)]
struct Activity {
    in_flight: AtomicUsize,
    last: Mutex<Instant>,
}

impl Activity {
    fn new() -> Self {
        Self {
            in_flight: AtomicUsize::new(0),
            last: Mutex::new(Instant::now()),
        }
    }

    fn touch(&self) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
    }

    fn last(&self) -> Instant {
        *self.last.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn idle(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) == 0
    }
}

/// A request in progress on a connection; its end counts as activity.
struct InFlight(Arc<Activity>);

impl InFlight {
    fn start(activity: &Arc<Activity>) -> Self {
        activity.in_flight.fetch_add(1, Ordering::AcqRel);
        Self(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.touch();
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its request counted as in progress until it has been sent (or
/// dropped), so a long download is not idle.
struct Tracked<B> {
    inner: B,
    _in_flight: InFlight,
}

impl<B: hyper::body::Body + Unpin> hyper::body::Body for Tracked<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// Runs one connection until it ends, it has been idle for `idle_timeout`, or it is idle when
/// the server asks for room (its slot is needed by a new connection).
async fn keep_open<E: std::fmt::Display>(
    connection: impl Future<Output = Result<(), E>>,
    activity: &Activity,
    idle_timeout: Duration,
    mut room_wanted: watch::Receiver<u64>,
    remote: SocketAddr,
) {
    tokio::pin!(connection);
    // Once the server stops accepting, nobody asks for room any more.
    let mut accepting = true;
    loop {
        let deadline = if activity.idle() {
            activity.last() + idle_timeout
        } else {
            Instant::now() + idle_timeout
        };
        tokio::select! {
            ended = &mut connection => {
                if let Err(err) = ended {
                    tracing::debug!(error = %err, "connection ended with an error");
                }
                return;
            }
            () = tokio::time::sleep_until(deadline) => {
                if activity.idle() && activity.last() + idle_timeout <= Instant::now() {
                    tracing::debug!(%remote, "closed an idle connection");
                    return;
                }
            }
            changed = room_wanted.changed(), if accepting => {
                if changed.is_err() {
                    accepting = false;
                } else if activity.idle() {
                    tracing::debug!(%remote, "closed an idle connection to make room");
                    return;
                }
            }
        }
    }
}

/// HTTP/1.1 with a deadline for the request head, and HTTP/2 with at most 100 streams a
/// connection.
fn http_builder(options: &ServeOptions) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(100);
    builder
}

/// Serves `endpoint` on `listener` until `shutdown` resolves, then waits up to
/// `options.grace` for the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    endpoint: impl Endpoint + 'static,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let endpoint = Arc::new(endpoint.map_to_response().boxed());
    let local = LocalAddr(Addr::SocketAddr(listener.local_addr()?));
    let builder = http_builder(&options);
    let max = options.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max));
    // Room is made when fewer than a tenth of the slots are left.
    let crowded_below = (max / 10).max(1);
    // Each change asks the connections with no request in progress to close.
    let (make_room, room_wanted) = watch::channel(0u64);
    let ask_for_room = move || make_room.send_modify(|n| *n = n.wrapping_add(1));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let slot = match slots.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                ask_for_room();
                tokio::select! {
                    slot = slots.clone().acquire_owned() => slot.expect("never closed"),
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, remote): (_, SocketAddr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: make room, breathe, go on.
                    tracing::warn!(error = %err, "accept failed");
                    ask_for_room();
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if slots.available_permits() < crowded_below {
            ask_for_room();
        }
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let endpoint = endpoint.clone();
        let local = local.clone();
        let requests = activity.clone();
        let trusted = options.trusted_proxies.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let in_flight = InFlight::start(&requests);
            let endpoint = endpoint.clone();
            let client = crate::forwarded::client_address(remote, req.headers(), &trusted);
            let request: poem::Request = (
                req,
                local.clone(),
                RemoteAddr(Addr::SocketAddr(client)),
                http::uri::Scheme::HTTP,
            )
                .into();
            async move {
                let response: http::Response<_> = endpoint.get_response(request).await.into();
                Ok::<_, Infallible>(response.map(|inner| Tracked {
                    inner,
                    _in_flight: in_flight,
                }))
            }
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        let mut room_wanted = room_wanted.clone();
        room_wanted.mark_unchanged();
        let idle_timeout = options.idle_timeout;
        tokio::spawn(async move {
            let _slot = slot;
            keep_open(connection, &activity, idle_timeout, room_wanted, remote).await;
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(options.grace) => {
            tracing::warn!("requests still in flight after the grace period");
        }
    }
    Ok(())
}
