package org.walrusjava.importer;

import java.util.List;

/** An n-dimensional array of numbers in a user's file, read one value at a time wherever it is stored. */
public interface SourceArray {
    /** Where the array is, for messages: "run.npz:rho". */
    String label();

    long[] shape();

    /** The value at a full index (one entry per axis). */
    double get(long[] index);

    /** The axes' names when the file names them (NetCDF dimensions), else null. */
    default List<String> dimensionNames() {
        return null;
    }
}
