package org.lepistream.schemas.serde;

/** A schema registry request failed; carries the HTTP status, the registry's error_code and its own message. */
public class RegistryException extends RuntimeException {
    private final int status;
    private final int errorCode;
    private final String registryMessage;

    public RegistryException(String message, int status, int errorCode) {
        this(message, status, errorCode, null, null);
    }

    public RegistryException(String message, int status, int errorCode, String registryMessage, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    /** HTTP status of the failed response; 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** The registry's error_code (e.g. 40403 schema not found, 40901 incompatible); 0 when the body had none. */
    public int errorCode() {
        return errorCode;
    }

    /** The "message" of the registry's error body, or null when it sent none. */
    public String registryMessage() {
        return registryMessage;
    }
}
