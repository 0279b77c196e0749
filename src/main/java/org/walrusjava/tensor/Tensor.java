package org.walrusjava.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.DeviceOptional;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * An n-dimensional array on a {@link Device}, backed by a libtorch tensor. This class and its package are the
 * only code that touches the libtorch bindings; everything above sees shapes, dtypes and these operations.
 *
 * <p>Native memory is freed deterministically: tensors created while a {@link NativeScope} is open belong to
 * it and are released when it closes; {@link NativeScope#keep} hands a result to the enclosing scope,
 * {@link #owned()} takes a handle out of every scope for long-lived state, and {@link #close()} frees one tensor
 * at once. Operations return new tensors unless their name ends in '_'.
 */
public final class Tensor implements AutoCloseable {
    final org.bytedeco.pytorch.Tensor t;

    Tensor(org.bytedeco.pytorch.Tensor t) {
        this.t = t;
    }

    static {
        NativeRuntime.init();
    }

    // ---------------------------------------------------------------- creation

    public static Tensor of(float[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor out = empty(DType.FLOAT32, Device.CPU, shape);
        new FloatPointer(out.t.data_ptr()).put(data);
        return out;
    }

    public static Tensor of(double[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor out = empty(DType.FLOAT64, Device.CPU, shape);
        new org.bytedeco.javacpp.DoublePointer(out.t.data_ptr()).put(data);
        return out;
    }

    public static Tensor ofLongs(long[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor out = empty(DType.INT64, Device.CPU, shape);
        new org.bytedeco.javacpp.LongPointer(out.t.data_ptr()).put(data);
        return out;
    }

    public static Tensor scalar(float value) {
        return of(new float[] {value}, 1);
    }

    /**
     * The first {@code size} bytes of a file as a 1-D UINT8 CPU tensor, memory-mapped by libtorch copy-on-write:
     * pages are read only when used, in-place writes stay private to this process (the file never changes, and
     * a read-only file is fine), and the mapping lives as long as any tensor derived from it, independent of
     * the Java garbage collector. Carve typed tensors out of it with {@link #narrow}, {@link #viewAs} and
     * {@link #asStrided}.
     */
    public static Tensor mapFile(Path file, long size) {
        return new Tensor(torch.from_file(file.toString(), new BoolOptional(false), new LongOptional(size),
                new TensorOptions(DType.UINT8.scalarType)));
    }

    /** Copies little-endian bytes (heap or direct) into a new CPU tensor. */
    public static Tensor copyOf(ByteBuffer bytes, DType dtype, long... shape) {
        long need = numel(shape) * dtype.bytes;
        if (bytes.remaining() < need)
            throw new IllegalArgumentException("buffer holds " + bytes.remaining() + " bytes, needs " + need);
        Tensor out = empty(dtype, Device.CPU, shape);
        ByteBuffer dst = out.t.data_ptr().position(0).limit(need).asByteBuffer();
        ByteBuffer src = bytes.duplicate();
        src.limit(src.position() + (int) need);
        dst.put(src);
        return out;
    }

    public static Tensor empty(DType dtype, Device device, long... shape) {
        return new Tensor(torch.empty(shape, options(dtype, device), null));
    }

    public static Tensor zeros(DType dtype, Device device, long... shape) {
        return new Tensor(torch.zeros(shape, options(dtype, device)));
    }

    public static Tensor zeros(long... shape) {
        return zeros(DType.FLOAT32, Device.CPU, shape);
    }

    public static Tensor ones(DType dtype, Device device, long... shape) {
        return new Tensor(torch.ones(shape, options(dtype, device)));
    }

    public static Tensor full(float value, DType dtype, Device device, long... shape) {
        return new Tensor(torch.full(shape, new Scalar(value), options(dtype, device)));
    }

    /** Standard-normal samples from libtorch's global generator (seed it with {@link #manualSeed}). */
    public static Tensor randn(DType dtype, Device device, long... shape) {
        return new Tensor(torch.randn(shape, options(dtype, device)));
    }

    /** Uniform samples in [0, 1) from libtorch's global generator. */
    public static Tensor rand(DType dtype, Device device, long... shape) {
        return new Tensor(torch.rand(shape, options(dtype, device)));
    }

    /**
     * Uniform values in [-1, 1) drawn from {@code random}, rounded to {@code dtype}: test data that leaves libtorch's
     * global generator (and so every seeded roll and dropout) untouched.
     */
    public static Tensor uniform(java.util.SplittableRandom random, DType dtype, Device device, long... shape) {
        float[] v = new float[Math.toIntExact(numel(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) (2 * random.nextDouble() - 1);
        return of(v, shape).to(dtype).to(device);
    }

    public static Tensor linspace(double start, double end, long steps, Device device) {
        return new Tensor(torch.linspace(new Scalar(start), new Scalar(end), steps, options(DType.FLOAT32, device)));
    }

    public static Tensor arange(long end, DType dtype, Device device) {
        return new Tensor(torch.arange(new Scalar(end), options(dtype, device)));
    }

    public static void manualSeed(long seed) {
        torch.manual_seed(seed);
    }

    /** The state of libtorch's default random generator on a device, as a byte tensor (for exact resumption). */
    public static Tensor generatorState(Device device) {
        return new Tensor(torch.globalContext().defaultGenerator(device.toNative()).get_state());
    }

    public static void setGeneratorState(Device device, Tensor state) {
        torch.globalContext().defaultGenerator(device.toNative()).set_state(state.t);
    }

    public static Tensor cat(List<Tensor> parts, int dim) {
        try (TensorVector v = vector(parts)) {
            return new Tensor(torch.cat(v, dim));
        }
    }

    public static Tensor stack(List<Tensor> parts, int dim) {
        try (TensorVector v = vector(parts)) {
            return new Tensor(torch.stack(v, dim));
        }
    }

    // ---------------------------------------------------------------- metadata

    public long[] shape() {
        return t.sizes().vec().get();
    }

    public long size(int dim) {
        return t.size(dim < 0 ? dim + t.dim() : dim);
    }

    public int dim() {
        return (int) t.dim();
    }

    public long numel() {
        return t.numel();
    }

    /** Bytes of its elements (of this view, not of a larger storage it may share). */
    public long bytes() {
        return t.numel() * t.element_size();
    }

    public DType dtype() {
        return DType.of(t.scalar_type());
    }

    public Device device() {
        return t.is_cuda() ? new Device("cuda", t.device().index()) : Device.CPU;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape()) + " " + dtype() + " on " + device();
    }

    // ---------------------------------------------------------------- reading back

    /** All elements as float32, row-major (copies to the CPU if needed). */
    public float[] toFloatArray() {
        try (NativeScope s = NativeScope.open()) {
            org.bytedeco.pytorch.Tensor c = t.to(new TensorOptions(torch.ScalarType.Float).device(
                    new DeviceOptional(Device.CPU.toNative())), false, true, null).contiguous();
            float[] out = new float[(int) c.numel()];
            new FloatPointer(c.data_ptr()).get(out);
            return out;
        }
    }

    public double[] toDoubleArray() {
        try (NativeScope s = NativeScope.open()) {
            org.bytedeco.pytorch.Tensor c = t.to(new TensorOptions(torch.ScalarType.Double).device(
                    new DeviceOptional(Device.CPU.toNative())), false, true, null).contiguous();
            double[] out = new double[(int) c.numel()];
            new org.bytedeco.javacpp.DoublePointer(c.data_ptr()).get(out);
            return out;
        }
    }

    public long[] toLongArray() {
        try (NativeScope s = NativeScope.open()) {
            org.bytedeco.pytorch.Tensor c = t.to(new TensorOptions(torch.ScalarType.Long).device(
                    new DeviceOptional(Device.CPU.toNative())), false, true, null).contiguous();
            long[] out = new long[(int) c.numel()];
            new org.bytedeco.javacpp.LongPointer(c.data_ptr()).get(out);
            return out;
        }
    }

    /**
     * Bytes [offset, offset + length) of this contiguous CPU tensor, viewed in place (no copy); the view is valid
     * only while the tensor lives.
     */
    public ByteBuffer byteView(long offset, int length) {
        if (t.is_cuda() || !t.is_contiguous() || offset < 0 || offset + length > numel() * dtype().bytes)
            throw new IllegalArgumentException("byteView [" + offset + ", " + (offset + length) + ") of a "
                    + Arrays.toString(shape()) + " " + dtype() + " tensor on " + device());
        // The address is moved rather than a position set: JavaCPP's asByteBuffer fails for positions past 2^31.
        BytePointer start = new BytePointer(t.data_ptr()).getPointer(offset);
        return start.limit(length).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The raw little-endian bytes of a contiguous CPU copy (for writing files). */
    public ByteBuffer toBytes() {
        try (NativeScope s = NativeScope.open()) {
            org.bytedeco.pytorch.Tensor c = t.to(new TensorOptions(t.scalar_type()).device(
                    new DeviceOptional(Device.CPU.toNative())), false, true, null).contiguous();
            long n = c.numel() * dtype().bytes;
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(n)).order(ByteOrder.LITTLE_ENDIAN);
            out.put(c.data_ptr().position(0).limit(n).asByteBuffer());
            return out.flip();
        }
    }

    public float item() {
        return t.item_float();
    }

    public double itemDouble() {
        return t.item_double();
    }

    // ---------------------------------------------------------------- conversion

    public Tensor to(DType dtype) {
        return dtype() == dtype ? new Tensor(t.alias()) : new Tensor(t.to(dtype.scalarType));
    }

    public Tensor to(Device device) {
        return new Tensor(t.to(new TensorOptions(t.scalar_type()).device(new DeviceOptional(device.toNative())),
                false, false, null));
    }

    public Tensor contiguous() {
        return new Tensor(t.contiguous());
    }

    public Tensor copy() {
        return new Tensor(t.clone());
    }

    /** Copies src's values into this tensor in place (shapes must match or broadcast). */
    public Tensor copy_(Tensor src) {
        t.copy_(src.t);
        return this;
    }

    public Tensor zero_() {
        t.zero_();
        return this;
    }

    public Tensor fill_(float value) {
        t.fill_(new Scalar(value));
        return this;
    }

    // ---------------------------------------------------------------- in-place updates (optimizers, under Autograd.off())

    public Tensor mul_(double v) {
        t.mul_(new Scalar(v));
        return this;
    }

    /** this += alpha * o */
    public Tensor add_(Tensor o, double alpha) {
        t.add_(o.t, new Scalar(alpha));
        return this;
    }

    /** this += value * a * b */
    public Tensor addcmul_(Tensor a, Tensor b, double value) {
        t.addcmul_(a.t, b.t, new Scalar(value));
        return this;
    }

    /** this += value * a / b */
    public Tensor addcdiv_(Tensor a, Tensor b, double value) {
        t.addcdiv_(a.t, b.t, new Scalar(value));
        return this;
    }

    /** this += weight * (end - this) */
    public Tensor lerp_(Tensor end, double weight) {
        t.lerp_(end.t, new Scalar(weight));
        return this;
    }

    // ---------------------------------------------------------------- shape manipulation

    public Tensor reshape(long... shape) {
        return new Tensor(t.reshape(shape));
    }

    public Tensor permute(long... dims) {
        return new Tensor(t.permute(dims));
    }

    public Tensor transpose(int a, int b) {
        return new Tensor(t.transpose(a, b));
    }

    public Tensor unsqueeze(int dim) {
        return new Tensor(t.unsqueeze(dim));
    }

    public Tensor squeeze(int dim) {
        return new Tensor(t.squeeze(dim));
    }

    public Tensor flatten(int from, int to) {
        return new Tensor(t.flatten(from, to));
    }

    /** Elements [start, start+length) along dim, as a view. */
    public Tensor narrow(int dim, long start, long length) {
        return new Tensor(t.narrow(dim, start, length));
    }

    /**
     * Consecutive views of the given lengths along dim, which must add up to its size. Prefer this to several
     * {@link #narrow} calls on the same tensor when the parts need gradients: autograd then joins their gradients
     * in one node, where each narrow would allocate, zero and add a gradient the size of the whole tensor.
     */
    public Tensor[] split(int dim, long... lengths) {
        return tensors(torch.split_with_sizes(t, lengths, dim));
    }

    /** Every index along dim, each without that dimension (views); one gradient node for all, as {@link #split}. */
    public Tensor[] unbind(int dim) {
        return tensors(torch.unbind(t, dim));
    }

    /** Index i along dim, removing that dimension (a view). */
    public Tensor select(int dim, long index) {
        return new Tensor(t.select(dim, index));
    }

    public Tensor indexSelect(int dim, long[] indices) {
        try (NativeScope s = NativeScope.open()) {
            Tensor idx = ofLongs(indices, indices.length).to(device());
            return s.keep(new Tensor(t.index_select(dim, idx.t)));
        }
    }

    /**
     * Reinterprets the bytes of this tensor as another dtype (torch's view(dtype)): the last dim must be
     * contiguous, and its size and the storage offset in bytes divisible by the new element width.
     */
    public Tensor viewAs(DType dtype) {
        return new Tensor(t.view(dtype.scalarType));
    }

    /**
     * A view of this tensor's storage with the given shape and element strides, starting {@code offset} elements
     * after this tensor's first element (torch.as_strided, with the offset relative to this tensor).
     */
    public Tensor asStrided(long[] shape, long[] strides, long offset) {
        return new Tensor(t.as_strided(shape, strides, new LongOptional(t.storage_offset() + offset)));
    }

    public Tensor expand(long... shape) {
        return new Tensor(t.expand(shape));
    }

    public Tensor repeat(long... times) {
        return new Tensor(t.repeat(times));
    }

    public Tensor flip(long... dims) {
        return new Tensor(t.flip(dims));
    }

    /** torch.roll: out[i] = in[(i - shift) mod n] along each given dim. */
    public Tensor roll(long[] shifts, long[] dims) {
        return new Tensor(torch.roll(t, shifts, dims));
    }

    /** Zero (constant) padding; pads are given per dim as in torch.nn.functional.pad: last dim first. */
    public Tensor padConstant(long[] pads, float value) {
        return new Tensor(torch.constant_pad_nd(t, pads, new Scalar(value)));
    }

    /** Circular padding of one dim by lo/hi elements (wraps the opposite end). */
    public Tensor padCircular(int dim, long lo, long hi) {
        if (lo == 0 && hi == 0) return new Tensor(t.alias());
        long n = size(dim);
        if (lo > n || hi > n) throw new IllegalArgumentException("circular pad " + lo + "/" + hi + " exceeds size " + n);
        try (NativeScope s = NativeScope.open()) {
            Tensor head = narrow(dim, n - lo, lo);
            Tensor tail = narrow(dim, 0, hi);
            return s.keep(cat(List.of(head, this, tail), dim));
        }
    }

    // ---------------------------------------------------------------- arithmetic

    public Tensor add(Tensor o) {
        return new Tensor(t.add(o.t));
    }

    public Tensor add(double v) {
        return new Tensor(t.add(new Scalar(v)));
    }

    public Tensor sub(Tensor o) {
        return new Tensor(t.sub(o.t));
    }

    public Tensor mul(Tensor o) {
        return new Tensor(t.mul(o.t));
    }

    public Tensor mul(double v) {
        return new Tensor(t.mul(new Scalar(v)));
    }

    public Tensor div(Tensor o) {
        return new Tensor(t.div(o.t));
    }

    public Tensor div(double v) {
        return new Tensor(t.div(new Scalar(v)));
    }

    public Tensor neg() {
        return new Tensor(t.neg());
    }

    public Tensor abs() {
        return new Tensor(t.abs());
    }

    public Tensor square() {
        return new Tensor(t.square());
    }

    public Tensor sqrt() {
        return new Tensor(t.sqrt());
    }

    public Tensor exp() {
        return new Tensor(t.exp());
    }

    public Tensor floor() {
        return new Tensor(t.floor());
    }

    public Tensor cos() {
        return new Tensor(t.cos());
    }

    public Tensor sin() {
        return new Tensor(t.sin());
    }

    public Tensor log() {
        return new Tensor(t.log());
    }

    public Tensor clampMin(double min) {
        return new Tensor(torch.clamp_min(t, new Scalar(min)));
    }

    public Tensor matmul(Tensor o) {
        return new Tensor(torch.matmul(t, o.t));
    }

    /** Elementwise: where mask (bool) is true take this, else other. */
    public Tensor where(Tensor mask, Tensor other) {
        return new Tensor(torch.where(mask.t, t, other.t));
    }

    public Tensor isFinite() {
        return new Tensor(torch.isfinite(t));
    }

    public boolean allFinite() {
        try (NativeScope s = NativeScope.open()) {
            return torch.isfinite(t).all().item_bool();
        }
    }

    // ---------------------------------------------------------------- reductions

    public Tensor sum() {
        return new Tensor(t.sum());
    }

    public Tensor sum(long[] dims, boolean keepDim) {
        return new Tensor(t.sum(dims, keepDim, null));
    }

    public Tensor mean() {
        return new Tensor(t.mean());
    }

    public Tensor mean(long[] dims, boolean keepDim) {
        return new Tensor(t.mean(dims, keepDim, null));
    }

    public Tensor max() {
        return new Tensor(t.max());
    }

    /** max |this - reference| / max |reference|, in float64 on the CPU; NaN where this has a NaN. */
    public double relativeErrorTo(Tensor reference) {
        try (NativeScope s = NativeScope.open()) {
            Tensor ref = reference.to(Device.CPU).to(DType.FLOAT64);
            double scale = ref.abs().max().itemDouble();
            double diff = to(Device.CPU).to(DType.FLOAT64).sub(ref).abs().max().itemDouble();
            return diff / Math.max(scale, Double.MIN_NORMAL);
        }
    }

    public Tensor amax(long[] dims, boolean keepDim) {
        return new Tensor(torch.amax(t, dims, keepDim));
    }

    // ---------------------------------------------------------------- neural-network primitives

    public Tensor silu() {
        return new Tensor(torch.silu(t));
    }

    /** y = x W^T + b over the last dim; bias may be null. */
    public Tensor linear(Tensor weight, Tensor bias) {
        org.bytedeco.pytorch.Tensor b = bias == null ? null : bias.t;
        ProjectionTape tape = ProjectionTape.active();
        if (tape != null && ProjectionTape.takes(t, weight.t, b)) return new Tensor(tape.linear(t, weight.t, b));
        FlopCount.add((double) t.numel() * weight.t.size(0));
        if (RowSplitLinear.applies(t, weight.t, b))
            return new Tensor(!Autograd.records(t, weight.t, b) ? RowSplitLinear.apply(t, weight.t, b)
                    : RowSplitBackward.current() != null ? RecordedRowSplitLinear.apply(t, weight.t, b)
                    : torch.linear(t, weight.t, optional(bias)));
        return new Tensor(torch.linear(t, weight.t, optional(bias)));
    }

    /**
     * Unpadded strided 3-D convolution of (N, C, X, Y, Z) by a (C_out, C, kx, ky, kz) weight, on a kernel that
     * {@link ConvolutionCheck} has verified on this machine for the call's signature.
     */
    public Tensor conv3d(Tensor weight, Tensor bias, long[] stride) {
        return ConvolutionCheck.conv(this, weight, bias, stride);
    }

    /** The transpose of {@link #conv3d}, by a (C, C_out, kx, ky, kz) weight, verified the same way. */
    public Tensor convTranspose3d(Tensor weight, Tensor bias, long[] stride) {
        return ConvolutionCheck.convTranspose(this, weight, bias, stride);
    }

    /** LayerNorm over the last dim with affine weight/bias (either may be null). */
    public Tensor layerNorm(Tensor weight, Tensor bias, double eps) {
        return new Tensor(torch.layer_norm(t, new long[] {size(-1)}, optional(weight), optional(bias), eps, true));
    }

    /**
     * Scaled dot-product attention on (..., L, E) queries and (..., S, E) keys/values with an optional additive
     * float mask broadcastable to (..., L, S).
     *
     * <p>On the CPU, half-precision inputs are attended in float32: libtorch 2.10's CPU kernel for bf16 is about
     * 25x slower than its float32 one (measured here: 12.3 s vs 0.51 s for 6x16 heads of 1056 tokens x 88), while
     * attention is a small share of the model's FLOPs, so the upcast costs far less than it saves. A mask that needs
     * a gradient over short sequences goes through {@link FoldedMaskAttention}.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor additiveMask, double scale) {
        DType dtype = q.dtype();
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64 && !q.device().isCuda()) {
            try (NativeScope s = NativeScope.open()) {
                Tensor mask = additiveMask == null ? null : additiveMask.to(DType.FLOAT32);
                Tensor out = attention(q.to(DType.FLOAT32), k.to(DType.FLOAT32), v.to(DType.FLOAT32), mask, scale);
                return s.keep(out.to(dtype));
            }
        }
        FlopCount.add(2.0 * q.t.numel() * k.t.size(-2));
        if (FoldedMaskAttention.applies(q, additiveMask)) return FoldedMaskAttention.apply(q, k, v, additiveMask, scale);
        return fusedAttention(q, k, v, additiveMask, scale);
    }

    static Tensor fusedAttention(Tensor q, Tensor k, Tensor v, Tensor additiveMask, double scale) {
        return new Tensor(torch.scaled_dot_product_attention(q.t, k.t, v.t, optional(additiveMask), 0.0, false,
                new DoubleOptional(scale), false));
    }

    // ---------------------------------------------------------------- autograd

    public Tensor requiresGrad(boolean on) {
        t.requires_grad_(on);
        return this;
    }

    public boolean requiresGrad() {
        return t.requires_grad();
    }

    /** The accumulated gradient, or null if none has been computed. It stays valid after this tensor is freed. */
    public Tensor grad() {
        org.bytedeco.pytorch.Tensor g = t.grad();
        // grad() is a reference into this tensor's autograd data: take an owning handle of our own.
        return g.defined() ? new Tensor(new org.bytedeco.pytorch.Tensor(g)) : null;
    }

    public void zeroGrad() {
        org.bytedeco.pytorch.Tensor g = t.mutable_grad();
        if (g.defined()) g.zero_();
    }

    /** Gives this leaf a gradient of zeros where it has none (a rank that did not train it takes part in a sum). */
    public void zeroGradIfNone() {
        if (!t.grad().defined()) t.mutable_grad().put(torch.zeros_like(t));
    }

    public void backward() {
        t.backward();
    }

    /** Back-propagates {@code gradient} (same shape as this) into the graph that produced this tensor. */
    public void backward(Tensor gradient) {
        t.backward(gradient.t, new org.bytedeco.pytorch.BoolOptional(), false,
                new org.bytedeco.pytorch.TensorArrayRefOptional());
    }

    /** Drops the accumulated gradient (undefined, not zero: the next backward allocates it afresh). */
    public void clearGrad() {
        t.mutable_grad().reset();
    }

    public Tensor detach() {
        return new Tensor(t.detach());
    }

    // ---------------------------------------------------------------- memory

    /**
     * Frees this tensor's data but keeps the tensor, which optimizers, modules and autograd know by identity: it has
     * no elements until {@link #reallocate}. Sharded training parks the weights a rank does not own this way.
     */
    public void releaseData() {
        try (org.bytedeco.pytorch.AutoGradMode off = new org.bytedeco.pytorch.AutoGradMode(false)) {
            t.set_();
        }
    }

    /** Gives this tensor fresh, uninitialized, contiguous data of {@code shape} (after {@link #releaseData}). */
    public void reallocate(long... shape) {
        try (org.bytedeco.pytorch.AutoGradMode off = new org.bytedeco.pytorch.AutoGradMode(false);
             PointerScope scope = new PointerScope()) {
            t.set_(torch.empty(shape, t.options(), null));
        }
    }

    /**
     * A second handle to the same data that belongs to no scope, whichever are open: for state that must outlive the
     * caller's scopes (weights, optimizer moments). Whoever holds it closes it; one that is dropped unclosed is freed
     * by the garbage collector. This handle stays the caller's as before.
     */
    public Tensor owned() {
        org.bytedeco.pytorch.Tensor handle;
        // A scope of our own is surely the innermost, so the new handle is attached there and nowhere else; holding a
        // reference across its close leaves the handle counted once and in no scope.
        try (PointerScope own = new PointerScope()) {
            handle = new org.bytedeco.pytorch.Tensor(t).retainReference();
        }
        return new Tensor(handle);
    }

    /** Frees this tensor's native handle now (the storage goes when its last view goes). */
    @Override
    public void close() {
        t.close();
    }

    /** Whether this handle has been freed, by {@link #close()} or by the scope it belonged to. */
    public boolean isFreed() {
        return t.isNull();
    }

    // ---------------------------------------------------------------- helpers

    static TensorOptions options(DType dtype, Device device) {
        return new TensorOptions(dtype.scalarType).device(new DeviceOptional(device.toNative()));
    }

    private static TensorOptional optional(Tensor x) {
        return x == null ? new TensorOptional() : new TensorOptional(x.t);
    }

    private static Tensor[] tensors(TensorVector v) {
        org.bytedeco.pytorch.Tensor[] parts = v.get();
        Tensor[] out = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = new Tensor(parts[i]);
        return out;
    }

    private static TensorVector vector(List<Tensor> parts) {
        TensorVector v = new TensorVector();
        for (Tensor p : parts) v.push_back(p.t);
        return v;
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }

    private static void checkCount(int count, long[] shape) {
        if (count != numel(shape))
            throw new IllegalArgumentException(count + " values do not fill shape " + Arrays.toString(shape));
    }
}
