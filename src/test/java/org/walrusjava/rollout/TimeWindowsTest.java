package org.walrusjava.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeWindowsTest {
    private static List<String> labels(int steps) {
        return TimeWindows.forSteps(steps).stream().map(TimeWindows.Window::label).toList();
    }

    @Test
    void theWellsWindowsThenAOneTwoFiveSeries() {
        assertEquals(List.of("1", "2-5", "6-12", "13-30", "31-60"), labels(60));
        assertEquals(List.of("1", "2-5", "6-12", "13-30", "31-60", "61-100", "101-200", "201-500", "501-1000",
                "1001-2000"), labels(2000));
        assertEquals(List.of(1, 5, 12, 30, 60, 100, 200, 500, 1000, 2000, 5000, 10000),
                java.util.stream.IntStream.range(0, 12).map(TimeWindows::windowEnd).boxed().toList());
    }

    @Test
    void theLastWindowIsCutAtTheRolloutsEnd() {
        assertEquals(List.of("1", "2-5", "6-8"), labels(8));
        assertEquals(List.of("1", "2-5", "6"), labels(6));
        assertEquals(List.of("1"), labels(1));
        assertEquals(List.of(), labels(0));
    }

    @Test
    void summariesAreMeansOverTheWindow() {
        double[] curve = {1, 2, 3, 4, 5, 6, 7};
        Map<String, Double> s = TimeWindows.summarise(curve);
        assertEquals(List.of("1", "2-5", "6-7"), List.copyOf(s.keySet()));
        assertEquals(1.0, s.get("1"));
        assertEquals(3.5, s.get("2-5"));
        assertEquals(6.5, s.get("6-7"));
    }
}
