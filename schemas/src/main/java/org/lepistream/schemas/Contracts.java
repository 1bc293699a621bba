package org.lepistream.schemas;

import java.util.ArrayList;
import java.util.List;
import org.lepistream.schemas.serde.Compatibility;
import org.lepistream.schemas.serde.IncompatibleSchemaException;
import org.lepistream.schemas.serde.RegistryClient;

/**
 * Puts the catalogue's contracts into a schema registry: each value subject gets its compatibility level, then its
 * published schema. Run by {@code lepistream stack} at start and by {@code lepistream schemas register} for any
 * registry, so that {@code GET /subjects/<topic>-value/versions/latest} answers before any producer has run.
 */
public final class Contracts {

    /** One subject after registration: the id and version of our schema, and the level now in force. */
    public record Registered(String subject, int id, int version, Compatibility compatibility) {
    }

    private Contracts() {
    }

    /** {@link #register(RegistryClient, List)} for {@link Topics#ALL}. */
    public static List<Registered> register(RegistryClient registry) {
        return register(registry, Topics.ALL);
    }

    /**
     * Sets each topic's level, then registers its published value schema (idempotent: an identical schema keeps its
     * id and version). The level comes first so that our own schema is checked under it against what an earlier
     * release, or anyone else, registered.
     *
     * @throws IncompatibleSchemaException when the registry refuses a contract (its reason in the message); subjects
     *                                     before it in the list are registered already
     */
    public static List<Registered> register(RegistryClient registry, List<TopicSpec> topics) {
        List<Registered> done = new ArrayList<>();
        for (TopicSpec topic : topics) {
            String subject = topic.valueSubject();
            registry.setCompatibility(subject, topic.compatibility());
            int id = registry.register(subject, topic.publishedValueSchema());
            int version = registry.lookup(subject, topic.publishedValueSchema()).version();
            done.add(new Registered(subject, id, version, registry.compatibility(subject)));
        }
        return done;
    }
}
