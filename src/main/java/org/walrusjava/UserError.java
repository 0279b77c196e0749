package org.walrusjava;

/**
 * A problem with what the user gave us (a file, a shape, a field name, an option). The CLI prints its message
 * as one line and exits non-zero; the message must name the file or value and say what is wrong.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
