package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.walrusjava.viz.RolloutPictures;

/**
 * Opens the report in headless Chromium and checks that every image on the page loaded with the size of its file.
 * Chromium is required: CI installs it (.ci/run), so a missing browser is a failure, never a skip.
 */
class ReportInBrowserTest {
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome");

    /** Appended to a copy of the page: after load, writes "src=WxH" for every image into the DOM. */
    private static final String PROBE = """
            <script>
            window.addEventListener('load', () => {
              const lines = [];
              for (const img of document.images) lines.push(img.getAttribute('src') + '=' + img.naturalWidth + 'x' + img.naturalHeight);
              const pre = document.createElement('pre');
              pre.id = 'image-check';
              pre.textContent = lines.join('\\n');
              document.body.appendChild(pre);
            });
            </script>
            """;

    @Test
    void everyImageOfTheReportLoadsInChromium(@TempDir Path dir) throws Exception {
        Path browser = findBrowser();
        Path index = ReportFixtures.report(dir.resolve("report"), Synthetic.layout2d(16), 6, 6, 3,
                RolloutPictures.Options.defaults());
        Path probe = index.resolveSibling("probe.html");
        Files.writeString(probe, Files.readString(index).replace("</body>", PROBE + "</body>"));

        Path stderr = dir.resolve("chromium.log");
        Process chromium = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=10000", "--dump-dom",
                probe.toUri().toString())
                .redirectError(stderr.toFile())
                .start();
        chromium.getOutputStream().close();
        byte[] out = chromium.getInputStream().readAllBytes();
        if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            fail("chromium did not finish within 120 s");
        }
        String dom = new String(out, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<pre id=\"image-check\">([^<]*)</pre>").matcher(dom);
        assertTrue(m.find(), "the page ran its load handler; chromium exit " + chromium.exitValue() + ", stderr tail:\n"
                + tail(stderr));

        Map<String, String> loaded = new LinkedHashMap<>();
        for (String line : m.group(1).strip().split("\n")) {
            int eq = line.lastIndexOf('=');
            loaded.put(line.substring(0, eq), line.substring(eq + 1));
        }
        List<String> images = ReportFixtures.references(index).stream().filter(r -> r.endsWith(".png") || r.endsWith(".gif")).toList();
        assertEquals(images, List.copyOf(loaded.keySet()), "every image of the page is in the DOM");
        assertTrue(images.contains("rollout.gif") && images.contains("vrmse.png") && images.size() >= 8, images.toString());
        for (String src : images) {
            BufferedImage file = ImageIO.read(index.resolveSibling(src).toFile());
            assertEquals(file.getWidth() + "x" + file.getHeight(), loaded.get(src), src + " as the browser decoded it");
        }
    }

    private static Path findBrowser() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : BROWSERS) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        return fail("no Chromium on PATH (looked for " + BROWSERS + "): install it, e.g. apt-get install chromium;"
                + " CI installs it in .ci/run");
    }

    private static String tail(Path log) throws Exception {
        if (!Files.exists(log)) return "";
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
