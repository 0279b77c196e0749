package org.walrusjava.rollout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.walrusjava.viz.RolloutPictures;

/** Runs a synthetic rollout through the scorer and the report, as the rollout loop will. */
final class ReportFixtures {
    private ReportFixtures() {}

    static Path report(Path dir, FieldLayout layout, int planned, int ran, int members, RolloutPictures.Options options) {
        RolloutScorer scorer = new RolloutScorer(layout, planned);
        RolloutReport report = new RolloutReport(dir, layout, planned, "synthetic <rollout>", options);
        float[][] lastInput = Synthetic.truth(layout, -1);
        for (int t = 0; t < ran; t++) {
            float[][] truth = Synthetic.truth(layout, t);
            if (members > 1) {
                float[][][] ensemble = new float[members][][];
                for (int k = 0; k < members; k++) ensemble[k] = Synthetic.prediction(layout, t, 0.02, 100 * k + t);
                EnsembleStats.Frame frame = scorer.scoreEnsemble(t, ensemble, truth);
                if (report.wantsFrame(t)) report.addFrame(t, truth, frame);
            } else {
                float[][] prediction = Synthetic.prediction(layout, t, 0.02, t);
                scorer.score(t, prediction, truth);
                if (report.wantsFrame(t)) report.addFrame(t, truth, prediction);
            }
            scorer.scorePersistence(t, lastInput, truth);
        }
        return report.write(scorer.results());
    }

    /** Every src= and href= of the page. */
    static List<String> references(Path index) throws Exception {
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(Files.readString(index));
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    static int gifFrames(Path gif) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            return reader.getNumImages(true);
        } finally {
            reader.dispose();
        }
    }
}
