package org.walrusjava.importer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.walrusjava.UserError;

/**
 * The files of a folder that match a glob, in the order a solver numbered its steps: by the last number in the name,
 * then by name. Solvers seldom pad step numbers, and by name alone step_10 would come before step_2.
 */
final class StepFiles {
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

    private StepFiles() {}

    static List<Path> matching(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(p -> {
                if (!Files.isDirectory(p)) out.add(p);
            });
        } catch (IOException e) {
            throw new UserError(dir.resolve(glob) + ": cannot list (" + e.getMessage() + ")", e);
        }
        out.sort(Comparator.comparingLong(StepFiles::lastNumber).thenComparing(Path::toString));
        return out;
    }

    private static long lastNumber(Path p) {
        Matcher m = LAST_NUMBER.matcher(p.getFileName().toString());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
