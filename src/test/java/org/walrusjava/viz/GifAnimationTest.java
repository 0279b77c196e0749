package org.walrusjava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GifAnimationTest {
    @Test
    void framesDelayAndLoopAreWritten(@TempDir Path dir) throws Exception {
        Path gif = dir.resolve("a.gif");
        GifAnimation.write(gif, 5, i -> {
            BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(ColorMap.viridis().rgb(i / 4.0)));
            g.fillRect(0, 0, 40, 30);
            g.dispose();
            return image;
        }, 250);
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            assertEquals(5, reader.getNumImages(true));
            for (int i = 0; i < 5; i++) {
                BufferedImage frame = reader.read(i);
                assertEquals(40, frame.getWidth());
                assertEquals(30, frame.getHeight());
                IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode control = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
                assertEquals("25", control.getAttribute("delayTime"));
                // Solid colours survive the palette: first frame viridis' start, last its end.
                int expected = ColorMap.viridis().rgb(i / 4.0);
                int actual = frame.getRGB(20, 15) & 0xFFFFFF;
                for (int shift : new int[] {16, 8, 0}) {
                    assertEquals((expected >> shift) & 0xFF, (actual >> shift) & 0xFF, 8, "frame " + i);
                }
            }
            IIOMetadataNode first = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            IIOMetadataNode app = (IIOMetadataNode) first.getElementsByTagName("ApplicationExtension").item(0);
            assertEquals("NETSCAPE", app.getAttribute("applicationID"));
            byte[] loop = (byte[]) app.getUserObject();
            assertEquals(1, loop[0]);
            assertEquals(0, loop[1] | loop[2], "loop count 0: forever");
        } finally {
            reader.dispose();
        }
        assertTrue(ImageIO.read(gif.toFile()) != null);
    }
}
