"""Write the nginx configuration for several instances of the atlas from deploy/nginx.conf.template.

    # a site file for the system's nginx (http context), TLS lines kept in a file of your own:
    python3 deploy/render_nginx.py --upstream 10.0.0.11:8050 --upstream 10.0.0.12:8050 \\
        --listen '443 ssl http2' --server-name atlas.example.org \\
        --include /etc/nginx/snippets/atlas-tls.conf > /etc/nginx/conf.d/atlas.conf

    # a complete nginx in a folder of its own (no root needed, runs in the foreground):
    python3 deploy/render_nginx.py --standalone /tmp/atlas-nginx --listen 127.0.0.1:8080 \\
        --upstream 127.0.0.1:8051 --upstream 127.0.0.1:8052
    nginx -p /tmp/atlas-nginx -c nginx.conf -e /tmp/atlas-nginx/error.log

The standalone form is what tests/web/test_scaleout.py runs: the same site file, inside a main
configuration whose pid file, logs and temporary folders all lie in the given folder.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
SERVER_OPTIONS = "max_fails=1 fail_timeout=5s"
_UPSTREAM = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")
_TEMP_KINDS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def render_site(upstreams: Sequence[str], listen: str, *, server_name: str = "_",
                access_log: str = "/var/log/nginx/atlas.access.log", includes: Sequence[str] = ()) -> str:
    """The http-context configuration: the upstream of the given ``host:port`` instances and the
    server that proxies to them."""
    if not upstreams:
        raise ValueError("at least one --upstream host:port is needed")
    for up in upstreams:
        if not _UPSTREAM.match(up):
            raise ValueError(f"not a host:port: {up!r}")
    fields = {
        "@UPSTREAM_SERVERS@": "\n".join(f"    server {up} {SERVER_OPTIONS};" for up in upstreams),
        "@LISTEN@": listen,
        "@SERVER_NAME@": server_name,
        "@ACCESS_LOG@": access_log,
        "@INCLUDES@": "\n".join(f"    include {path};" for path in includes),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in fields.items():
        text = text.replace(key, value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise ValueError(f"template fields left unfilled: {left}")
    return text


def render_main(prefix: Path, site_file: Path, *, worker_processes: int = 1) -> str:
    """A main nginx.conf that keeps everything (pid, logs, temporary files) under ``prefix`` and
    stays in the foreground (``daemon off``: for a supervisor or a test's subprocess)."""
    temp = "\n".join(f"    {kind}_temp_path {prefix / 'tmp' / kind};" for kind in _TEMP_KINDS)
    return (f"daemon off;\n"
            f"worker_processes {worker_processes};\n"
            f"pid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\n\n"
            f"events {{\n    worker_connections 512;\n}}\n\n"
            f"http {{\n{temp}\n    include {site_file};\n}}\n")


def write_standalone(prefix: Path, upstreams: Sequence[str], listen: str, *, server_name: str = "_",
                     includes: Sequence[str] = (), worker_processes: int = 1) -> Path:
    """Write ``prefix``/nginx.conf and ``prefix``/atlas.conf (access log: ``prefix``/access.log);
    return the path of nginx.conf. Run it with ``nginx -p PREFIX -c nginx.conf -e PREFIX/error.log``."""
    prefix = prefix.resolve()
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    # Run as root, nginx's workers switch to an unprivileged user: they must be able to reach the
    # temporary folders (nginx creates and hands over those itself).
    for folder in (prefix, prefix / "tmp"):
        os.chmod(folder, 0o755)
    site = prefix / "atlas.conf"
    site.write_text(render_site(upstreams, listen, server_name=server_name,
                                access_log=str(prefix / "access.log"), includes=includes),
                    encoding="utf-8")
    main = prefix / "nginx.conf"
    main.write_text(render_main(prefix, site, worker_processes=worker_processes), encoding="utf-8")
    return main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--upstream", action="append", required=True, metavar="HOST:PORT",
                    help="an instance of the app (gunicorn's bind address); repeat for each")
    ap.add_argument("--listen", default="80", help="nginx's listen parameters (default 80)")
    ap.add_argument("--server-name", default="_", help="server_name (default _)")
    ap.add_argument("--access-log", default="/var/log/nginx/atlas.access.log")
    ap.add_argument("--include", action="append", default=[], metavar="FILE",
                    help="a file included in the server block (TLS certificate lines, HSTS); repeatable")
    ap.add_argument("--standalone", type=Path, metavar="DIR",
                    help="write DIR/nginx.conf and DIR/atlas.conf, everything kept under DIR")
    args = ap.parse_args(argv)
    try:
        if args.standalone:
            path = write_standalone(args.standalone, args.upstream, args.listen, server_name=args.server_name,
                                    includes=args.include)
            print(f"wrote {path}; run: nginx -p {path.parent} -c nginx.conf -e {path.parent / 'error.log'}")
        else:
            sys.stdout.write(render_site(args.upstream, args.listen, server_name=args.server_name,
                                         access_log=args.access_log, includes=args.include))
    except ValueError as exc:
        print(f"render_nginx: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
