package org.walrusjava;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

/**
 * Opens a page in headless Chromium and reports what it rendered. Chromium is required: bin/test installs it when
 * it can, so a missing browser is a failure, never a skip.
 */
public final class HeadlessChromium {
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome");

    /** Appended to a copy of the page: after load, writes "src=WxH" per image and the table count into the DOM. */
    private static final String PROBE = """
            <script>
            window.addEventListener('load', () => {
              const lines = [];
              for (const img of document.images) lines.push(img.getAttribute('src') + '=' + img.naturalWidth + 'x' + img.naturalHeight);
              lines.push('#tables=' + document.querySelectorAll('table tr').length);
              const pre = document.createElement('pre');
              pre.id = 'render-check';
              pre.textContent = lines.join('\\n');
              document.body.appendChild(pre);
            });
            </script>
            """;

    /** What the browser rendered: every image's decoded size by src, and the number of table rows. */
    public record Rendered(Map<String, String> images, int tableRows) {}

    private HeadlessChromium() {}

    public static Rendered render(Path page, Path workDir) throws Exception {
        Path browser = findBrowser();
        Path probe = page.resolveSibling("render-probe.html");
        Files.writeString(probe, Files.readString(page).replace("</body>", PROBE + "</body>"));
        Path stderr = workDir.resolve("chromium.log");
        Process chromium = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + workDir.resolve("chromium-profile"), "--virtual-time-budget=10000", "--dump-dom",
                probe.toUri().toString())
                .redirectError(stderr.toFile())
                .start();
        chromium.getOutputStream().close();
        byte[] out = chromium.getInputStream().readAllBytes();
        if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            fail("chromium did not finish within 120 s");
        }
        Files.delete(probe);
        Matcher m = Pattern.compile("<pre id=\"render-check\">([^<]*)</pre>").matcher(new String(out, StandardCharsets.UTF_8));
        assertTrue(m.find(), "the page ran its load handler; chromium exit " + chromium.exitValue() + ", stderr tail:\n"
                + tail(stderr));
        Map<String, String> images = new LinkedHashMap<>();
        int rows = 0;
        for (String line : m.group(1).strip().split("\n")) {
            int eq = line.lastIndexOf('=');
            if (line.startsWith("#tables=")) rows = Integer.parseInt(line.substring(eq + 1));
            else images.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return new Rendered(images, rows);
    }

    private static Path findBrowser() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : BROWSERS) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        return fail("no Chromium on PATH (looked for " + BROWSERS + "): install it, e.g. apt-get install chromium"
                + " (bin/test does when run as root)");
    }

    private static String tail(Path log) throws Exception {
        if (!Files.exists(log)) return "";
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
