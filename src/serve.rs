//! The HTTP server loop: hyper (HTTP/1.1 and HTTP/2) over the given listener, serving the poem
//! endpoint, with hyper's own header-read timeout switched on.
//!
//! poem's `Server` builds hyper's connection without a timer, and without a timer hyper cannot
//! time out a client that sends half its headers and then nothing (or a byte at a time). Here
//! the connection builder gets tokio's timer, so hyper's `header_read_timeout` applies: a
//! client that has not sent its headers within the configured time is disconnected. Shutdown is
//! graceful: no new connections, requests in flight finish (up to a grace period).

use std::{convert::Infallible, future::Future, net::SocketAddr, sync::Arc, time::Duration};

use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
};
use poem::{Addr, Endpoint, EndpointExt, web::LocalAddr, web::RemoteAddr};

/// Serves `endpoint` on `listener` until `shutdown` resolves, then waits up to `grace` for the
/// requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    endpoint: impl Endpoint + 'static,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> std::io::Result<()> {
    let endpoint = Arc::new(endpoint.map_to_response().boxed());
    let local = LocalAddr(Addr::SocketAddr(listener.local_addr()?));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, remote): (_, SocketAddr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: log, breathe, go on.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let endpoint = endpoint.clone();
        let local = local.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let endpoint = endpoint.clone();
            let request: poem::Request = (
                req,
                local.clone(),
                RemoteAddr(Addr::SocketAddr(remote)),
                http::uri::Scheme::HTTP,
            )
                .into();
            async move {
                let response: http::Response<_> = endpoint.get_response(request).await.into();
                Ok::<_, Infallible>(response)
            }
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection ended with an error");
            }
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {
            tracing::warn!("requests still in flight after the grace period");
        }
    }
    Ok(())
}
