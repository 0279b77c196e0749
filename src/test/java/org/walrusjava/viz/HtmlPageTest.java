package org.walrusjava.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlPageTest {
    @Test
    void textIsEscapedAndLinksAreRelative(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.png"), "x");
        Files.createDirectories(dir.resolve("panels"));
        Files.writeString(dir.resolve("panels/b.png"), "x");
        HtmlPage page = new HtmlPage("rho <density> & \"p\"")
                .table("t", List.of("steps", "a"), List.of(List.of("1", "0.5")))
                .image("a.png", "plot")
                .image("panels/b.png", "panel");
        Path index = page.write(dir, "index.html");
        String html = Files.readString(index);
        assertTrue(html.contains("<h1>rho &lt;density&gt; &amp; &quot;p&quot;</h1>"));
        assertTrue(html.contains("<img src=\"panels/b.png\""));
        assertTrue(html.contains("<th>1</th><td>0.5</td>"));
        assertEquals(List.of("a.png", "panels/b.png"), page.references());
        assertFalse(html.contains("http"), "self-contained: nothing fetched from elsewhere");
    }

    @Test
    void aPageThatPointsAtMissingFilesIsNotWritten(@TempDir Path dir) {
        HtmlPage page = new HtmlPage("r").image("missing.png", "x");
        assertThrows(IllegalStateException.class, () -> page.write(dir, "index.html"));
        assertFalse(Files.exists(dir.resolve("index.html")));
        assertThrows(IllegalArgumentException.class, () -> new HtmlPage("r").image("../up.png", "x"));
        assertThrows(IllegalArgumentException.class, () -> new HtmlPage("r").image("/abs.png", "x"));
    }
}
