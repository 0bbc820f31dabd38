#!/usr/bin/env python3
"""Send one Stormwatch command (or, with --address weather.queries, one query) over AMQP 1.0 and print the reply.

Needs Apache Qpid Proton for Python (Debian/Ubuntu: apt install python3-qpid-proton; elsewhere: pip install
python-qpid-proton).

  python3 docs/examples/send_command.py '{"type":"RegisterStation", ...}'
  python3 docs/examples/send_command.py --address weather.queries '{"type":"GetStats"}'

The broker is STORMWATCH_AMQP_URL (default amqp://localhost:5672: the port `./mvnw quarkus:dev` prints, 5673 when
a RabbitMQ holds 5672), or --url. With no reply within --timeout seconds (10) it says why and exits with 1.

Replies come to a temporary queue the broker names. RabbitMQ 3.x has none, and names a queue /queue/<name>: there,
set STORMWATCH_QUEUE_PREFIX=/queue/ and give a reply queue, --reply-queue replies.my-station (or
STORMWATCH_REPLY_QUEUE); the prefix goes before both addresses.
"""
import argparse
import json
import os
import sys
import uuid

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container

DEFAULT_URL = os.environ.get("STORMWATCH_AMQP_URL", "amqp://localhost:5672")
QUEUE_PREFIX = os.environ.get("STORMWATCH_QUEUE_PREFIX", "")
EXAMPLE = json.dumps({"type": "RegisterStation", "stationId": "DEMO-1", "name": "Demo",
                      "latitude": 59.91, "longitude": 10.75})


class SendCommand(MessagingHandler):
    def __init__(self, url, body, address, reply_queue, timeout):
        super().__init__()
        self.url, self.body, self.address, self.timeout = url, body, address, timeout
        self.reply_queue = reply_queue
        self.message_id = str(uuid.uuid4())
        self.failure = None
        self.answered = False

    def on_start(self, event):
        self.deadline = event.container.schedule(self.timeout, self)
        self.connection = event.container.connect(self.url, reconnect=False)
        if self.reply_queue:
            self.receiver = event.container.create_receiver(self.connection, self.reply_queue)
        else:
            # A temporary reply queue that the broker names and deletes when we disconnect.
            self.receiver = event.container.create_receiver(self.connection, None, dynamic=True)
        self.sender = event.container.create_sender(self.connection, self.address)

    def on_link_opened(self, event):
        if event.receiver == self.receiver:
            self.sender.send(Message(id=self.message_id, reply_to=self.receiver.remote_source.address,
                                     body=self.body, content_type="application/json", durable=True))

    def on_message(self, event):
        if event.message.correlation_id == self.message_id:
            body = event.message.body
            print(body.decode("utf-8") if isinstance(body, (bytes, memoryview)) else body)
            self.answered = True
            self.finish()

    def on_timer_task(self, event):
        if not self.answered:
            self.failure = (f"no reply from {self.url} within {self.timeout:g} s: is Stormwatch running, and is this "
                            f"its broker? (set STORMWATCH_AMQP_URL or --url to the AMQP URL it printed)")
            # Not a graceful close: a peer that never answered would not answer that either.
            event.container.stop()

    def on_transport_error(self, event):
        condition = event.transport.condition
        reason = f"{condition.name}: {condition.description}" if condition else "connection failed"
        self.failure = f"cannot reach the broker at {self.url} ({reason}); set STORMWATCH_AMQP_URL or --url"
        self.finish()

    def on_link_error(self, event):
        condition = event.link.remote_condition
        self.failure = f"the broker refused the link to {event.link.target.address or 'a reply queue'}: {condition}"
        self.finish()

    def finish(self):
        self.deadline.cancel()
        self.connection.close()


def main():
    parser = argparse.ArgumentParser(description="Send one command (or query) to Stormwatch and print the reply.")
    parser.add_argument("body", nargs="?", default=EXAMPLE, help="the command as JSON (default: register DEMO-1)")
    parser.add_argument("--url", default=DEFAULT_URL, help=f"the broker (default {DEFAULT_URL})")
    parser.add_argument("--address", default="weather.commands", help="weather.commands (default) or weather.queries")
    parser.add_argument("--reply-queue", default=os.environ.get("STORMWATCH_REPLY_QUEUE"),
                        help="a named reply queue (replies.<name>) instead of a temporary one")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the reply (default 10)")
    args = parser.parse_args()
    reply_queue = QUEUE_PREFIX + args.reply_queue if args.reply_queue else None
    handler = SendCommand(args.url, args.body, QUEUE_PREFIX + args.address, reply_queue, args.timeout)
    Container(handler).run()
    if handler.failure:
        print(handler.failure, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
