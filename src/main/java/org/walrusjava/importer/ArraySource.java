package org.walrusjava.importer;

import java.util.List;

/** The named arrays of a user's file or files. */
public interface ArraySource extends AutoCloseable {
    /** The file or folder, for messages. */
    String label();

    List<String> names();

    /** The array called {@code name}; a UserError naming the arrays there when there is none. */
    SourceArray array(String name);

    @Override
    void close();
}
