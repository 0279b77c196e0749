package org.walrusjava.data.hdf5;

/** A call into the HDF5 C library failed; the message carries HDF5's own error stack, outermost call first. */
public class Hdf5Exception extends RuntimeException {
    public Hdf5Exception(String message) {
        super(message);
    }
}
