#!/usr/bin/env python3
"""Follow Stormwatch's weather.events and weather.alerts over AMQP 1.0 and print a line per event.

Needs Apache Qpid Proton for Python (Debian/Ubuntu: apt install python3-qpid-proton; elsewhere: pip install
python-qpid-proton).

  python3 docs/examples/subscribe.py                 # live from now
  python3 docs/examples/subscribe.py --after 312     # first every event after position 312, then live

weather.events and weather.alerts are multicast: a subscriber sees what is published while it is attached. To
resume, --after reads the history from the HTTP API (GET /api/events?after=N, STORMWATCH_HTTP_URL, default
http://localhost:8080) after attaching, then goes on live, skipping positions it has printed: no event is missed or
printed twice. Each event line ends with its position; pass the last one as --after next time.

The broker is STORMWATCH_AMQP_URL (default amqp://localhost:5672: the port `./mvnw quarkus:dev` prints, 5673 when
a RabbitMQ holds 5672), or --url. RabbitMQ 3.x names a topic /topic/<name>: there, set STORMWATCH_TOPIC_PREFIX=/topic/.
"""
import argparse
import json
import os
import sys
import urllib.request

from proton.handlers import MessagingHandler
from proton.reactor import Container

AMQP_URL = os.environ.get("STORMWATCH_AMQP_URL", "amqp://localhost:5672")
HTTP_URL = os.environ.get("STORMWATCH_HTTP_URL", "http://localhost:8080")
EVENTS = os.environ.get("STORMWATCH_TOPIC_PREFIX", "") + "weather.events"
ALERTS = os.environ.get("STORMWATCH_TOPIC_PREFIX", "") + "weather.alerts"


def text(body):
    return body.decode("utf-8") if isinstance(body, (bytes, memoryview)) else str(body)


class Subscribe(MessagingHandler):
    def __init__(self, url, http, after):
        super().__init__()
        self.url, self.http, self.after = url, http, after
        self.last = after if after is not None else -1
        self.opened = 0
        self.failure = None

    def on_start(self, event):
        connection = event.container.connect(self.url, reconnect=False)
        event.container.create_receiver(connection, EVENTS)
        event.container.create_receiver(connection, ALERTS)

    def on_link_opened(self, event):
        self.opened += 1
        if self.opened == 2:
            print(f"following {EVENTS} and {ALERTS} on {self.url}", file=sys.stderr)
            if self.after is not None:
                self.catch_up()

    def catch_up(self):
        """The history after --after, page by page; live messages wait in the link meanwhile."""
        while True:
            with urllib.request.urlopen(f"{self.http}/api/events?after={self.last}&limit=1000", timeout=10) as answer:
                page = json.load(answer)
            for stored in page:
                self.print_event(stored["position"], stored["type"], stored["streamId"], stored["payload"])
            if len(page) < 1000:
                return

    def on_message(self, event):
        message = event.message
        properties = message.properties or {}
        if event.receiver.source.address == ALERTS:
            position = properties.get("position")
            if self.after is None or position is None or position > self.after:
                print(f"CAP {properties.get('msgType')} {properties.get('severity')} alert {properties.get('alertId')}"
                      f" at {properties.get('stationId')}  @{position}")
            return
        position = properties.get("cloudEvents:position")
        if position is None or position > self.last:
            self.print_event(position, properties.get("cloudEvents:type"), properties.get("cloudEvents:subject"),
                             json.loads(text(message.body)))

    def print_event(self, position, kind, stream, payload):
        if position is not None:
            if position <= self.last:
                return
            self.last = position
        summary = ", ".join(f"{k}={v}" for k, v in payload.items() if k != "stationId" and not isinstance(v, dict))
        print(f"{kind} {stream}: {summary}  @{position}", flush=True)

    def on_transport_error(self, event):
        condition = event.transport.condition
        self.failure = f"lost the broker at {self.url}: {condition.description if condition else 'connection failed'}"


def main():
    parser = argparse.ArgumentParser(description="Print Stormwatch's events and CAP alerts as they are published.")
    parser.add_argument("--after", type=int, help="first print every event after this position (from the HTTP API)")
    parser.add_argument("--url", default=AMQP_URL, help=f"the broker (default {AMQP_URL})")
    parser.add_argument("--http", default=HTTP_URL, help=f"the HTTP API, for --after (default {HTTP_URL})")
    args = parser.parse_args()
    handler = Subscribe(args.url, args.http, args.after)
    try:
        Container(handler).run()
    except KeyboardInterrupt:
        pass
    if handler.failure:
        print(handler.failure, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
