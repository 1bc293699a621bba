package org.lepistream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The .avsc files are what third-party clients (Confluent's serializers, fastavro) are given: each must parse alone
 * and be the schema our Java producers register.
 */
class AvscFilesTest {
    static final Path SOURCES = Path.of("src/main/avro");

    static List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
        }
    }

    @Test
    void everyFileParsesOnItsOwn() throws IOException {
        List<Path> files = files();
        assertEquals(7, files.size(), files.toString());
        for (Path file : files) {
            // A fresh parser per file: no named type can come from another file.
            Schema schema = new Schema.Parser().parse(file.toFile());
            assertEquals(file.getFileName().toString(), schema.getName() + ".avsc");
        }
    }

    @Test
    void eachTopicsFileIsThePublishedSchemaOfItsClass() throws IOException {
        for (TopicSpec topic : Topics.ALL) {
            Path file = SOURCES.resolve(topic.valueClass().getSimpleName() + ".avsc");
            Schema fromFile = new Schema.Parser().parse(file.toFile());
            // Same text, docs included: a registry comparing raw text gives both one id.
            assertEquals(topic.publishedValueSchema().toString(), fromFile.toString(), topic.name());
        }
    }

    @Test
    void typesDefinedInSeveralFilesAreTheSameEverywhere() throws IOException {
        Schema geoPoint = new Schema.Parser().parse(SOURCES.resolve("GeoPoint.avsc").toFile());
        Schema identification = new Schema.Parser().parse(SOURCES.resolve("Identification.avsc").toFile());
        Schema sighting = new Schema.Parser().parse(SOURCES.resolve("Sighting.avsc").toFile());
        Schema review = new Schema.Parser().parse(SOURCES.resolve("ReviewRequest.avsc").toFile());
        assertEquals(geoPoint.toString(), sighting.getField("location").schema().getTypes().get(1).toString());
        assertEquals(geoPoint.toString(), review.getField("location").schema().getTypes().get(1).toString());
        assertEquals(identification.toString(), review.getField("identification").schema().toString());
        assertTrue(geoPoint.getDoc() != null && !geoPoint.getDoc().isBlank());
    }
}
