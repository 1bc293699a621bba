package org.lepistream.stack.cli;

/** A failure the user can act on: its message is printed as the one error line, without a stack trace. */
public final class CliFailure extends RuntimeException {

    public CliFailure(String message) {
        super(message);
    }

    public CliFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** One line for any exception: its message, or its type when it has none; nested causes are named briefly. */
    static String describe(Throwable e) {
        if (e instanceof CliFailure) {
            return e.getMessage();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message.replace('\n', ' ');
    }
}
