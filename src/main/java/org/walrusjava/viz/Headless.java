package org.walrusjava.viz;

/** Pictures are drawn off screen: no display is needed or wanted, also on a desktop. */
final class Headless {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Headless() {}

    /** Call before touching fonts or graphics; loading this class sets the property once. */
    static void ensure() {}
}
