package org.lepistream.schemas.serde;

/** No registry URL answered (connection refused, timeout, unknown host); the message names the URLs and is fit for a terminal. */
public class RegistryUnreachableException extends RegistryException {
    public RegistryUnreachableException(String message, Throwable cause) {
        super(message, 0, 0, null, cause);
    }
}
