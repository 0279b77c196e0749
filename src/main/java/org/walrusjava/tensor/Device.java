package org.walrusjava.tensor;

/** Where tensors live: the CPU or one CUDA device, chosen at run time ("cpu", "cuda", "cuda:1"). */
public record Device(String type, int index) {
    public static final Device CPU = new Device("cpu", -1);

    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase();
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return new Device("cuda", 0);
        if (s.startsWith("cuda:")) {
            try {
                return new Device("cuda", Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown device '" + spec + "' (use cpu, cuda or cuda:N)");
    }

    public boolean isCuda() {
        return type.equals("cuda");
    }

    org.bytedeco.pytorch.Device toNative() {
        return new org.bytedeco.pytorch.Device(isCuda() ? "cuda:" + index : "cpu");
    }

    @Override
    public String toString() {
        return isCuda() ? "cuda:" + index : "cpu";
    }
}
