#!/usr/bin/env python3
"""Send one Stormwatch command (or, with the address weather.queries, one query) over AMQP 1.0 and print the reply.

Needs Apache Qpid Proton for Python (Debian/Ubuntu: apt install python3-qpid-proton; elsewhere: pip install
python-qpid-proton).

  python3 docs/examples/send_command.py amqp://localhost:5673 '{"type":"RegisterStation", ...}'
  python3 docs/examples/send_command.py amqp://localhost:5673 '{"type":"GetStats"}' weather.queries
"""
import json
import sys
import uuid

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container, DynamicNodeProperties


class SendCommand(MessagingHandler):
    def __init__(self, url, body, address):
        super().__init__()
        self.url, self.body, self.address, self.message_id = url, body, address, str(uuid.uuid4())

    def on_start(self, event):
        conn = event.container.connect(self.url)
        # A temporary reply queue that the broker names and deletes when we disconnect.
        self.receiver = event.container.create_receiver(conn, None, dynamic=True)
        self.sender = event.container.create_sender(conn, self.address)

    def on_link_opened(self, event):
        if event.receiver == self.receiver:
            self.sender.send(Message(id=self.message_id, reply_to=self.receiver.remote_source.address,
                                     body=self.body, content_type="application/json", durable=True))

    def on_message(self, event):
        if event.message.correlation_id == self.message_id:
            print(event.message.body)
            event.connection.close()


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else "amqp://localhost:5673"
    body = sys.argv[2] if len(sys.argv) > 2 else json.dumps({
        "type": "RegisterStation", "stationId": "DEMO-1", "name": "Demo", "latitude": 59.91, "longitude": 10.75})
    address = sys.argv[3] if len(sys.argv) > 3 else "weather.commands"
    Container(SendCommand(url, body, address)).run()
