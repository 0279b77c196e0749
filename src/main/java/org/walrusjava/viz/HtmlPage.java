package org.walrusjava.viz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.walrusjava.AtomicFiles;

/**
 * A small self-contained HTML report: headings, text, tables, images and links, styled inline, referring only to
 * files in its own folder by relative path. {@link #write} refuses to write a page that points at a file that does
 * not exist, so a report never shows a broken image.
 */
public final class HtmlPage {
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<String> references = new ArrayList<>();

    public HtmlPage(String title) {
        this.title = title;
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    public HtmlPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A table; the first column of each row is shown as a row header. */
    public HtmlPage table(String caption, List<String> header, List<List<String>> rows) {
        body.append("<div class=\"scroll\"><table>\n<caption>").append(escape(caption)).append("</caption>\n<tr>");
        for (String h : header) body.append("<th>").append(escape(h)).append("</th>");
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String tag = i == 0 ? "th" : "td";
                body.append('<').append(tag).append('>').append(escape(row.get(i))).append("</").append(tag).append('>');
            }
            body.append("</tr>\n");
        }
        body.append("</table></div>\n");
        return this;
    }

    /** An image from the page's folder, with a caption under it. */
    public HtmlPage image(String relativePath, String caption) {
        String src = reference(relativePath);
        body.append("<figure><img src=\"").append(src).append("\" alt=\"").append(escape(caption)).append("\">")
                .append("<figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
        return this;
    }

    /** A list of links to files in the page's folder: {relative path, text} pairs. */
    public HtmlPage links(List<String[]> pathAndText) {
        body.append("<ul>\n");
        for (String[] link : pathAndText) {
            body.append("<li><a href=\"").append(reference(link[0])).append("\">").append(escape(link[1]))
                    .append("</a></li>\n");
        }
        body.append("</ul>\n");
        return this;
    }

    /** Every file the page refers to, relative to its folder. */
    public List<String> references() {
        return List.copyOf(references);
    }

    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    /** Writes the page as dir/fileName after checking that every file it refers to exists in dir. */
    public Path write(Path dir, String fileName) {
        List<String> missing = references.stream().filter(r -> !Files.isRegularFile(dir.resolve(r))).toList();
        if (!missing.isEmpty()) throw new IllegalStateException(dir + ": report refers to missing files " + missing);
        Path target = dir.resolve(fileName);
        AtomicFiles.writeString(target, html());
        return target;
    }

    private String reference(String relativePath) {
        if (relativePath.startsWith("/") || relativePath.contains("..") || relativePath.contains("\\")
                || relativePath.contains(":")) {
            throw new IllegalArgumentException("report links must be plain relative paths, got " + relativePath);
        }
        references.add(relativePath);
        return escape(relativePath);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1400px; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
            table { border-collapse: collapse; margin: 0.8em 0; font-variant-numeric: tabular-nums; }
            caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
            .scroll { overflow-x: auto; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; white-space: nowrap; }
            tr:first-child th { background: #f2f2f2; text-align: center; }
            figure { display: inline-block; margin: 0.5em 1em 1em 0; vertical-align: top; }
            figcaption { font-size: 0.9em; color: #555; }
            img { max-width: 100%; image-rendering: pixelated; }
            """;
}
