package org.walrusjava.viz;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.walrusjava.AtomicFiles;

/** Writes PNG files atomically. */
public final class PngFile {
    private PngFile() {}

    public static void write(Path target, RenderedImage image) {
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
    }
}
