//! What an operator sees of a running server: request ids and the access log around every
//! request ([`http`]), Prometheus metrics on their own address ([`metrics`]), and the log
//! format ([`logging`]).

pub mod http;
pub mod logging;
pub mod metrics;
