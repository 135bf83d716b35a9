"""A minimal SMTP server on loopback that keeps the messages it receives (tests only)."""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes
from email.policy import default


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 sink ready\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith(b"DATA"):
                self.wfile.write(b"354 go ahead\r\n")
                body = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(data[1:] if data.startswith(b"..") else data)
                self.server.messages.append(message_from_bytes(b"".join(body), policy=default))
                self.wfile.write(b"250 queued\r\n")
            elif command.startswith(b"MAIL") and len(self.server.messages) >= self.server.accept_at_most:
                # A server that gives up part-way (quota, outage): it refuses every further message.
                self.wfile.write(b"554 5.7.1 no more messages accepted\r\n")
            elif command.startswith(b"QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            elif command.startswith((b"EHLO", b"HELO")):
                self.wfile.write(b"250 sink\r\n")
            else:
                self.wfile.write(b"250 ok\r\n")


class SmtpSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, accept_at_most: int = 10**9):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.messages = []
        self.accept_at_most = accept_at_most
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
