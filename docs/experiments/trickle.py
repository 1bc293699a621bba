#!/usr/bin/env python3
"""Experiment for issue 16: an image server for CrashProbe. trickle.py PORT ROOT serves ROOT's files:
/photos/NAME at once, /slow/SECS/NAME with its body spread evenly over SECS seconds (headers first), as a slow
or careless host would."""
import http.server
import os
import sys
import time

ROOT = sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        secs = 0.0
        if parts[0] == "slow" and len(parts) == 3:
            secs, name = float(parts[1]), parts[2]
        elif parts[0] == "photos" and len(parts) == 2:
            name = parts[1]
        else:
            self.send_error(404)
            return
        path = os.path.join(ROOT, os.path.basename(name))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if secs <= 0:
            self.wfile.write(body)
            return
        chunks = 20
        step = max(1, len(body) // chunks)
        for i in range(0, len(body), step):
            self.wfile.write(body[i:i + step])
            self.wfile.flush()
            time.sleep(secs / chunks)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
