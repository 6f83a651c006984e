"""A small blog, like seed 000's StarPunk: posts in SQLite on a volume,
HTML pages whose links are absolute and must say https:// behind a proxy,
and a /health that checks the database and the disk, not just the process.

Standard library only: http.server and sqlite3.
"""
import html
import os
import shutil
import signal
import sqlite3
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///data/blog.db")
DB_PATH = DATABASE_URL.removeprefix("sqlite:///")
MIN_FREE_BYTES = 16 << 20

PAGE = """<!doctype html>
<html><head><title>{title}</title><link rel="stylesheet" href="{base}/static/site.css"></head>
<body><h1><a href="{base}/">{title}</a></h1>{body}</body></html>
"""


def db():
    conn = sqlite3.connect(DB_PATH, timeout=5)
    conn.execute("CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL)")
    return conn


class Handler(BaseHTTPRequestHandler):
    server_version = "blog"
    sys_version = ""

    def base_url(self):
        # Behind the proxy the scheme and host are the client's, not ours.
        proto = self.headers.get("X-Forwarded-Proto", "http")
        host = self.headers.get("X-Forwarded-Host") or self.headers.get("Host", "localhost")
        return f"{proto}://{host}"

    def send(self, status, body, ctype="text/html; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            try:
                with db() as conn:
                    conn.execute("SELECT 1").fetchone()
                free = shutil.disk_usage(os.path.dirname(os.path.abspath(DB_PATH))).free
                if free < MIN_FREE_BYTES:
                    return self.send(503, f"disk almost full: {free} bytes free\n", "text/plain")
            except sqlite3.Error as e:
                return self.send(503, f"database: {e}\n", "text/plain")
            return self.send(200, "ok\n", "text/plain")
        if self.path == "/static/site.css":
            return self.send(200, "body { font-family: sans-serif; max-width: 40em; margin: auto }\n", "text/css")
        if self.path == "/":
            with db() as conn:
                posts = conn.execute("SELECT id, title FROM posts ORDER BY id DESC LIMIT 20").fetchall()
            base = self.base_url()
            items = "".join(f'<li><a href="{base}/posts/{i}">{html.escape(t)}</a></li>' for i, t in posts)
            return self.send(200, PAGE.format(title="Blog", base=base, body=f"<ul>{items}</ul>"))
        return self.send(404, "not found\n", "text/plain")

    def do_POST(self):
        if self.path != "/posts":
            return self.send(404, "not found\n", "text/plain")
        length = min(int(self.headers.get("Content-Length", 0)), 1 << 16)
        title = self.rfile.read(length).decode(errors="replace").strip() or "untitled"
        with db() as conn:
            conn.execute("INSERT INTO posts (title, body) VALUES (?, '')", (title,))
        return self.send(201, "created\n", "text/plain")

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


def main():
    server = ThreadingHTTPServer(("0.0.0.0", 8000), Handler)

    def stop(*_):
        # shutdown() waits for serve_forever, so it runs on another thread;
        # not a daemon one: interpreter shutdown must not race it.
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
