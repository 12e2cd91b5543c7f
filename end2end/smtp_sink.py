"""A real SMTP server for tests: every accepted message is written to OUT_DIR as an .eml file
(with an X-Envelope-To header listing the SMTP recipients). Usage: smtp_sink.py PORT OUT_DIR"""
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller


class WriteToDir:
    def __init__(self, out_dir):
        self.out_dir = out_dir

    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(self.out_dir, f"{time.time_ns()}.eml")
        header = ("X-Envelope-To: " + ", ".join(envelope.rcpt_tos) + "\r\n").encode()
        with open(name + ".part", "wb") as f:
            f.write(header + envelope.original_content)
        os.rename(name + ".part", name)
        return "250 Message accepted for delivery"


def main():
    port, out_dir = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    controller = Controller(WriteToDir(out_dir), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    signal.sigwait({signal.SIGINT, signal.SIGTERM})
    controller.stop()


if __name__ == "__main__":
    main()
