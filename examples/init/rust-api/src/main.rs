//! A small JSON API with Postgres, like seed 003's (there: axum + sqlx).
//! Here the standard library only, since crates.io is not reachable where
//! the examples are built: a blocking HTTP/1.1 server on a thread pool,
//! a /health that checks the database is reachable (DATABASE_URL, e.g.
//! postgres://app:secret@db:5432/app), and a graceful stop on SIGTERM.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" {
    fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
}

extern "C" fn on_term(_: i32) {
    STOP.store(true, Ordering::SeqCst); // async-signal-safe: a store
}

/// host:port of the database, from DATABASE_URL.
fn database_addr() -> Option<String> {
    let url = std::env::var("DATABASE_URL").ok()?;
    let rest = url.split("://").nth(1)?;
    let host = rest.rsplit('@').next()?.split('/').next()?;
    Some(if host.contains(':') { host.to_string() } else { format!("{host}:5432") })
}

fn database_ok() -> Result<(), String> {
    let addr = database_addr().ok_or("DATABASE_URL is not set")?;
    let sock = addr.to_socket_addrs().map_err(|e| format!("{addr}: {e}"))?.next().ok_or("no address")?;
    TcpStream::connect_timeout(&sock, Duration::from_secs(2)).map(|_| ()).map_err(|e| format!("{addr}: {e}"))
}

fn respond(mut s: &TcpStream, status: &str, ctype: &str, body: &str) {
    let _ = write!(s, "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
}

fn handle(stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut line = String::new();
    if BufReader::new(&stream).read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    match path {
        // Liveness answers while the process serves and reports the
        // database; /ready fails while the database is unreachable, so a
        // database outage takes the API out of rotation without restarting
        // every replica (seed 003's restart storm).
        "/health" => match database_ok() {
            Ok(()) => respond(&stream, "200 OK", "application/json", "{\"status\":\"ok\",\"database\":\"ok\"}"),
            Err(e) => respond(&stream, "200 OK", "application/json", &format!("{{\"status\":\"ok\",\"database\":{e:?}}}")),
        },
        "/ready" => match database_ok() {
            Ok(()) => respond(&stream, "200 OK", "application/json", "{\"ready\":true}"),
            Err(e) => respond(&stream, "503 Service Unavailable", "application/json", &format!("{{\"ready\":false,\"database\":{e:?}}}")),
        },
        "/" | "/api/items" => respond(&stream, "200 OK", "application/json", "{\"items\":[{\"id\":1,\"name\":\"first\"}]}"),
        _ => respond(&stream, "404 Not Found", "application/json", "{\"error\":\"not found\"}"),
    }
}

fn main() {
    unsafe {
        signal(15, on_term); // SIGTERM
        signal(2, on_term); // SIGINT
    }
    let listener = TcpListener::bind("0.0.0.0:8080").expect("bind 0.0.0.0:8080");
    listener.set_nonblocking(true).expect("nonblocking");
    eprintln!("listening on 8080");
    let mut workers = Vec::new();
    while !STOP.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = stream.set_nonblocking(false);
                workers.push(thread::spawn(move || handle(stream)));
                workers.retain(|w| !w.is_finished());
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(20)),
            Err(e) => eprintln!("accept: {e}"),
        }
    }
    // Drain: in-flight requests finish before the process exits 0.
    for w in workers {
        let _ = w.join();
    }
    eprintln!("stopped");
}
