//! The log: `CSSD_LOG_FORMAT=text` (default) for people, `json` (one object per line, with the
//! request's span fields such as `request_id`) for a collector; `RUST_LOG` filters it.

use tracing::Subscriber;
use tracing_subscriber::{
    EnvFilter, Layer, fmt::MakeWriter, layer::SubscriberExt, registry::LookupSpan,
    util::SubscriberInitExt,
};

use crate::config::LogFormat;

/// The layer that writes log lines in `format` to `writer`.
pub fn layer<S, W>(format: LogFormat, writer: W, colour: bool) -> Box<dyn Layer<S> + Send + Sync>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let lines = tracing_subscriber::fmt::layer().with_writer(writer);
    match format {
        LogFormat::Text => lines.with_ansi(colour).boxed(),
        LogFormat::Json => lines
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .boxed(),
    }
}

/// Installs the process's log: to stdout, filtered by `RUST_LOG` (default `info`), in colour
/// only for a person at a terminal.
pub fn init(format: LogFormat) {
    let colour = std::io::IsTerminal::is_terminal(&std::io::stdout())
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::registry()
        .with(layer(format, std::io::stdout, colour).with_filter(filter))
        .init();
}
