package org.walrusjava.viz;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntFunction;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.walrusjava.AtomicFiles;

/**
 * Writes an animated GIF that loops forever, one frame at a time so a long rollout never holds all its frames.
 * Frames are reduced to GIF's 256 colours over a fixed palette made for field panels ({@link GifPalette}).
 */
public final class GifAnimation {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private GifAnimation() {}

    /**
     * Writes frames 0..count-1, each produced by frame.apply(i) just before it is written and shown for delayMillis
     * (GIF counts in hundredths of a second).
     */
    public static void write(Path target, int count, IntFunction<BufferedImage> frame, int delayMillis) {
        if (count < 1) throw new IllegalArgumentException("an animation needs at least one frame");
        Headless.ensure();
        AtomicFiles.write(target, out -> {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < count; i++) {
                    BufferedImage image = GifPalette.indexed(frame.apply(i));
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    IIOMetadata metadata = frameMetadata(writer, image, param, delayMillis, i == 0);
                    writer.writeToSequence(new IIOImage(image, null, metadata), param);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
        });
    }

    /** Delay and disposal for every frame; the NETSCAPE2.0 extension (loop count 0 = forever) on the first. */
    private static IIOMetadata frameMetadata(ImageWriter writer, BufferedImage image, ImageWriteParam param,
                                             int delayMillis, boolean first) throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(Math.max(1, Math.round(delayMillis / 10f))));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode extension = new IIOMetadataNode("ApplicationExtension");
            extension.setAttribute("applicationID", "NETSCAPE");
            extension.setAttribute("authenticationCode", "2.0");
            extension.setUserObject(new byte[] {1, 0, 0});
            child(root, "ApplicationExtensions").appendChild(extension);
        }
        metadata.setFromTree(FORMAT, root);
        return metadata;
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i).getNodeName().equals(name)) return (IIOMetadataNode) parent.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        parent.appendChild(node);
        return node;
    }
}
