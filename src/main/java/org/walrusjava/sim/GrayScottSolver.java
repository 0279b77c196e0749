package org.walrusjava.sim;

/**
 * Gray-Scott reaction-diffusion on a periodic n x n grid of spacing h:
 *
 * <pre>
 *   dA/dt = D_A lap A - A B^2 + F (1 - A)
 *   dB/dt = D_B lap B + A B^2 - (F + k) B
 * </pre>
 *
 * Five-point Laplacian (second order in space) and classical fourth-order Runge-Kutta in time.
 */
final class GrayScottSolver {
    private final int n;
    private final double diffusionA, diffusionB, feed, kill;
    private final double[] a, b;
    private final double[][] stageA = new double[4][], stageB = new double[4][];
    private final double[] trialA, trialB;

    /** Diffusivities are given in physical units and divided by h^2 here. */
    GrayScottSolver(int n, double spacing, double diffusionA, double diffusionB, double feed, double kill) {
        this.n = n;
        this.diffusionA = diffusionA / (spacing * spacing);
        this.diffusionB = diffusionB / (spacing * spacing);
        this.feed = feed;
        this.kill = kill;
        a = new double[n * n];
        b = new double[n * n];
        trialA = new double[n * n];
        trialB = new double[n * n];
        for (int s = 0; s < 4; s++) {
            stageA[s] = new double[n * n];
            stageB[s] = new double[n * n];
        }
    }

    void setState(double[] speciesA, double[] speciesB) {
        System.arraycopy(speciesA, 0, a, 0, a.length);
        System.arraycopy(speciesB, 0, b, 0, b.length);
    }

    double[] speciesA() {
        return a.clone();
    }

    double[] speciesB() {
        return b.clone();
    }

    void step(double dt) {
        rates(a, b, stageA[0], stageB[0]);
        double[] weights = {0.5, 0.5, 1};
        for (int s = 1; s < 4; s++) {
            double w = weights[s - 1] * dt;
            for (int p = 0; p < a.length; p++) {
                trialA[p] = a[p] + w * stageA[s - 1][p];
                trialB[p] = b[p] + w * stageB[s - 1][p];
            }
            rates(trialA, trialB, stageA[s], stageB[s]);
        }
        for (int p = 0; p < a.length; p++) {
            a[p] += dt / 6 * (stageA[0][p] + 2 * stageA[1][p] + 2 * stageA[2][p] + stageA[3][p]);
            b[p] += dt / 6 * (stageB[0][p] + 2 * stageB[1][p] + 2 * stageB[2][p] + stageB[3][p]);
        }
    }

    private void rates(double[] fa, double[] fb, double[] da, double[] db) {
        for (int i = 0; i < n; i++) {
            int up = ((i + 1) % n) * n, down = ((i + n - 1) % n) * n, row = i * n;
            for (int j = 0; j < n; j++) {
                int right = j + 1 == n ? 0 : j + 1, left = j == 0 ? n - 1 : j - 1;
                int p = row + j;
                double lapA = fa[up + j] + fa[down + j] + fa[row + right] + fa[row + left] - 4 * fa[p];
                double lapB = fb[up + j] + fb[down + j] + fb[row + right] + fb[row + left] - 4 * fb[p];
                double reaction = fa[p] * fb[p] * fb[p];
                da[p] = diffusionA * lapA - reaction + feed * (1 - fa[p]);
                db[p] = diffusionB * lapB + reaction - (feed + kill) * fb[p];
            }
        }
    }
}
