package org.walrusjava.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.walrusjava.UserError;
import org.walrusjava.tensor.NativeRuntime;

/**
 * `walrus launch`: starts this node's ranks as child JVMs of the same program, the way torchrun does (RANK,
 * WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT in their environment), prints their output
 * line by line prefixed with the rank, and waits. When a rank fails, the others are given {@link #GRACE_SECONDS} to
 * report their own error (they notice at their next exchange) and are then stopped; the launch exits with the
 * failed rank's code.
 */
public final class Launcher {
    /** How long the surviving ranks may take to stop by themselves once one has failed. */
    public static final long GRACE_SECONDS = 30;

    /**
     * @param nproc ranks on this node
     * @param nnodes nodes, each running its own launch with the same master
     * @param nodeRank this node's index; node 0 runs rank 0 and serves the rendezvous
     */
    public record Plan(int nproc, int nnodes, int nodeRank, String masterAddr, int masterPort) {
        public Plan {
            if (nproc < 1) throw new UserError("--nproc is " + nproc + "; it must be at least 1");
            if (nnodes < 1) throw new UserError("--nnodes is " + nnodes + "; it must be at least 1");
            if (nodeRank < 0 || nodeRank >= nnodes)
                throw new UserError("--node-rank " + nodeRank + " is outside 0.." + (nnodes - 1));
            if (masterPort < 1 || masterPort > 65535) throw new UserError("master port " + masterPort + " is not a TCP port");
        }

        /** "ADDR:PORT", or "ADDR" with the default port. */
        public static int port(String master) {
            int colon = master.lastIndexOf(':');
            if (colon < 0) return Rendezvous.DEFAULT_PORT;
            try {
                return Integer.parseInt(master.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UserError("--master '" + master + "': the port after ':' is not a number");
            }
        }

        public static String host(String master) {
            int colon = master.lastIndexOf(':');
            return colon < 0 ? master : master.substring(0, colon);
        }

        int worldSize() {
            return nproc * nnodes;
        }
    }

    /** The running ranks of this node. */
    public static final class Workers {
        private final List<Process> processes;
        private final List<Thread> pumps;
        private final int firstRank;

        private Workers(List<Process> processes, List<Thread> pumps, int firstRank) {
            this.processes = processes;
            this.pumps = pumps;
            this.firstRank = firstRank;
        }

        /** The process of local rank i. */
        public Process process(int localRank) {
            return processes.get(localRank);
        }

        /**
         * Waits until all ranks have ended, or one failed (then the others get the grace period); returns 0 if all
         * succeeded, else the first failed rank's exit code, after a line on {@code err} naming it.
         */
        public int waitFor(PrintStream err) throws InterruptedException {
            int failed = -1;
            while (failed < 0 && processes.stream().anyMatch(Process::isAlive)) {
                for (int i = 0; i < processes.size() && failed < 0; i++)
                    if (!processes.get(i).isAlive() && processes.get(i).exitValue() != 0) failed = i;
                if (failed < 0) Thread.sleep(100);
            }
            if (failed < 0)
                for (int i = 0; i < processes.size() && failed < 0; i++) if (processes.get(i).exitValue() != 0) failed = i;
            if (failed >= 0) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
                for (Process p : processes) {
                    long left = deadline - System.nanoTime();
                    if (!p.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) p.destroyForcibly().waitFor();
                }
            }
            for (Thread t : pumps) t.join();
            if (failed < 0) return 0;
            int code = processes.get(failed).exitValue();
            err.println("walrus launch: rank " + (firstRank + failed) + " exited with code " + code
                    + (code > 128 ? " (killed by signal " + (code - 128) + ")" : "") + "; the other ranks have stopped");
            return code;
        }
    }

    private Launcher() {}

    /**
     * Starts this node's ranks running {@code walrus args...}; their output goes to {@code out}, each line prefixed
     * with "[rank R] ".
     *
     * @param env added to each rank's environment (on top of this process's)
     */
    public static Workers start(Plan plan, List<String> args, Map<String, String> env, PrintStream out) throws IOException {
        if (plan.nodeRank() == 0) checkPortFree(plan);
        // The ranks share JavaCPP's cache of native libraries; a first extraction by several JVMs at once crashes
        // the one that loads a library another is still writing, so this process fills the cache first.
        NativeRuntime.init();
        List<Process> processes = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        int first = plan.nodeRank() * plan.nproc();
        for (int local = 0; local < plan.nproc(); local++) {
            List<String> cmd = new ArrayList<>(javaCommand());
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            Map<String, String> e = pb.environment();
            // a Slurm allocation around the launch must not make the ranks read Slurm's numbering instead of ours
            e.keySet().removeIf(k -> k.startsWith("SLURM_"));
            e.putAll(env);
            e.put("MASTER_ADDR", plan.masterAddr());
            e.put("MASTER_PORT", String.valueOf(plan.masterPort()));
            e.put("WORLD_SIZE", String.valueOf(plan.worldSize()));
            e.put("RANK", String.valueOf(first + local));
            e.put("LOCAL_RANK", String.valueOf(local));
            e.put("LOCAL_WORLD_SIZE", String.valueOf(plan.nproc()));
            Process p = pb.start();
            processes.add(p);
            pumps.add(pump(p, "[rank " + (first + local) + "] ", out));
        }
        return new Workers(processes, pumps, first);
    }

    /** This JVM's launcher, memory and native settings and class path, running the walrus CLI. */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (a.startsWith("-Xm") || a.startsWith("-Dorg.bytedeco") || a.startsWith("--enable-native-access"))
                cmd.add(a);
        if (cmd.stream().noneMatch(a -> a.startsWith("--enable-native-access"))) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.walrusjava.cli.Main"));
        return cmd;
    }

    private static void checkPortFree(Plan plan) {
        // as a server would bind it: the connections of a run that just ended (a restart) may linger in TIME_WAIT
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(plan.masterAddr()), plan.masterPort()), 1);
        } catch (IOException e) {
            throw new UserError("port " + plan.masterPort() + " on " + plan.masterAddr() + " is in use or cannot be "
                    + "bound (" + e.getMessage() + "); choose another with --master ADDR:PORT");
        }
    }

    private static Thread pump(Process p, String prefix, PrintStream out) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (out) {
                        out.println(prefix + line);
                    }
                }
            } catch (IOException ignored) {
                // the rank's pipe closed as it died: its exit code tells the rest
            }
        }, "walrus-launch " + prefix.trim());
        t.setDaemon(true);
        t.start();
        return t;
    }
}
