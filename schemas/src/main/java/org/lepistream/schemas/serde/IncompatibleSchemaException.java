package org.lepistream.schemas.serde;

/** The registry refused a schema (HTTP 409) because it breaks the subject's compatibility level. */
public class IncompatibleSchemaException extends RegistryException {
    private final String subject;

    public IncompatibleSchemaException(String message, String subject, int errorCode, String registryMessage) {
        super(message, 409, errorCode, registryMessage, null);
        this.subject = subject;
    }

    /** The subject whose compatibility level the schema violates. */
    public String subject() {
        return subject;
    }
}
