"""A third-party client of our contracts: Confluent's Python client (Debian python3-confluent-kafka, with fastavro).

Given only the registry URL, the broker and Sighting.avsc, it reads the latest sightings-value schema, writes one
sighting with that file's schema (auto-registered under sightings-value) and reads back the record a Java producer
wrote. Prints one JSON object; ContractsInteropIT judges it.

Usage: confluent_client.py BOOTSTRAP REGISTRY_URL SIGHTING_AVSC TOPIC
"""
import json
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

bootstrap, registry_url, avsc, topic = sys.argv[1:5]
registry = SchemaRegistryClient({"url": registry_url})
latest = registry.get_latest_version("sightings-value")

with open(avsc, encoding="utf-8") as f:
    schema_str = f.read()
# The records go to a test topic, but under the contract's subject, as a producer of sightings would.
serializer = AvroSerializer(registry, schema_str,
                            conf={"subject.name.strategy": lambda ctx, record_name: "sightings-value"})
sighting = {
    "sightingId": "from-python", "observerId": "py-observer", "observedAt": 1714550400000,
    "location": {"lat": 53.8, "lon": -1.55}, "image": b"\x01\x02\x03", "imageUri": None,
    "contentType": "image/jpeg", "source": "confluent-python", "metadata": {"app": "interop"},
}
value = serializer(sighting, SerializationContext(topic, MessageField.VALUE))
producer = Producer({"bootstrap.servers": bootstrap})
producer.produce(topic, key=b"from-python", value=value)
if producer.flush(30) != 0:
    sys.exit("the record was not delivered within 30 s")

deserializer = AvroDeserializer(registry)
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "interop-" + str(uuid.uuid4()),
                     "auto.offset.reset": "earliest", "enable.auto.commit": False})
consumer.subscribe([topic])
from_java = None
deadline = time.time() + 60
while from_java is None and time.time() < deadline:
    message = consumer.poll(1.0)
    if message is None or message.error() is not None:
        continue
    if message.key() == b"from-java":
        from_java = deserializer(message.value(), SerializationContext(topic, MessageField.VALUE))
consumer.close()

print(json.dumps({
    "latest_id": latest.schema_id,
    "latest_version": latest.version,
    "written_id": int.from_bytes(value[1:5], "big"),
    "from_java": from_java,
}, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else len(v)))
