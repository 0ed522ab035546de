//! `runnel serve [--listen HOST:PORT] [--allow-remote]`: the Kafka wire
//! protocol over the data dir until SIGINT or SIGTERM (then exit 0).

use std::io::Write;
use std::time::Duration;

use clap::Args;

use super::global::Context;
use crate::error::{Error, Result};
use crate::serve::{ServeSettings, Server};

/// How long a stop waits for requests being handled.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel serve                       # broker 0 on 127.0.0.1:9092, 1 on 9093
  kcat -b 127.0.0.1:9092 -P -t rides -k car1 <<< 'hello'
  runnel serve --listen 127.0.0.1:0  # ports the system picks, printed on stdout

Prints one line per broker on stdout once it accepts connections:
  broker 0 listening on 127.0.0.1:9092
There is no authentication: binding beyond loopback needs --allow-remote.")]
pub struct ServeArgs {
    /// Broker 0's address; broker N listens on PORT+N (port 0: ports the system picks)
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:9092")]
    pub listen: String,
    /// Allow a non-loopback --listen address (anyone who can connect can read and write)
    #[arg(long)]
    pub allow_remote: bool,
    /// Log each request on stderr as it arrives and when it is answered (client, API, version, time taken)
    #[arg(long)]
    pub log_requests: bool,
}

pub fn cmd_serve(ctx: &Context, args: &ServeArgs) -> Result<()> {
    // Before the first thread starts: one heap, freed memory kept between requests.
    crate::serve::heap::keep_freed_memory();
    let mut settings = parse_listen(&args.listen, args.allow_remote)?;
    settings.log_requests = args.log_requests;
    crate::serve::check_host(&settings)?;
    let stop = stop_signals()?;
    let cluster = ctx.cluster()?;
    let server = Server::start(cluster, &settings)?;
    if args.allow_remote {
        super::global::stderr_line(format!(
            "runnel: warning: serving {} beyond loopback without authentication: anyone who can connect can read, \
             write and delete topics",
            settings.host
        ));
    }
    let mut out = std::io::stdout().lock();
    for (broker, addr) in server.listeners() {
        writeln!(out, "broker {broker} listening on {addr}").map_err(Error::output)?;
    }
    out.flush().map_err(Error::output)?;
    drop(out);
    ctx.note(format!("serving the data dir {} to Kafka clients; Ctrl-C stops", ctx.data_dir.display()));
    let _ = stop.recv();
    server.shutdown(SHUTDOWN_GRACE);
    Ok(())
}

/// `HOST:PORT` (HOST may be a bracketed IPv6 address) into settings.
fn parse_listen(listen: &str, allow_remote: bool) -> Result<ServeSettings> {
    let bad = || Error::usage(format!("--listen takes HOST:PORT (e.g. 127.0.0.1:9092), not '{listen}'"));
    let (host, port) = listen.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(bad());
    }
    Ok(ServeSettings { host: host.to_string(), port, allow_remote, log_requests: false })
}

/// A channel that receives once SIGINT or SIGTERM arrives.
fn stop_signals() -> Result<std::sync::mpsc::Receiver<()>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
        .map_err(|e| Error::other(format!("cannot install the SIGINT/SIGTERM handlers: {e}")))?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("serve-signals".to_string())
        .spawn(move || {
            if signals.forever().next().is_some() {
                let _ = tx.send(());
            }
        })
        .map_err(|e| Error::other(format!("cannot start the signal thread: {e}")))?;
    Ok(rx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_addresses_parse() {
        let s = parse_listen("127.0.0.1:9092", false).ok();
        assert_eq!(s.map(|s| (s.host, s.port)), Some(("127.0.0.1".to_string(), 9092)));
        let s = parse_listen("[::1]:0", false).ok();
        assert_eq!(s.map(|s| (s.host, s.port)), Some(("::1".to_string(), 0)));
        assert!(parse_listen("9092", false).is_err());
        assert!(parse_listen(":9092", false).is_err());
        assert!(parse_listen("host:99999", false).is_err());
    }
}
