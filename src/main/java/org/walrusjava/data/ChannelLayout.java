package org.walrusjava.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The channels of a channels-last array: their names in order and the tensor fields they group into. */
public record ChannelLayout(List<String> names, List<TensorChannels> fields) {

    public ChannelLayout {
        names = List.copyOf(names);
        fields = List.copyOf(fields);
    }

    /** The layout a {@link WellFile} produces for these fields (all variable or all constant, in loader order). */
    public static ChannelLayout of(List<FieldInfo> stored, int nSpatialDims) {
        List<String> names = new ArrayList<>();
        List<TensorChannels> groups = new ArrayList<>();
        for (FieldInfo f : stored) {
            groups.add(new TensorChannels(f.name(), f.rank(), names.size(), nSpatialDims));
            names.addAll(f.channels());
        }
        return new ChannelLayout(names, groups);
    }

    public int size() {
        return names.size();
    }

    /** Channel and field names after the transforms (by field name): "density" -> "log10_density". */
    public ChannelLayout transformed(Map<String, FieldTransform> transforms) {
        List<String> renamed = new ArrayList<>(names);
        List<TensorChannels> groups = new ArrayList<>();
        for (TensorChannels g : fields) {
            FieldTransform t = transforms.get(g.field());
            if (t == null) {
                groups.add(g);
                continue;
            }
            for (int c = g.firstChannel(); c < g.firstChannel() + g.count(); c++) renamed.set(c, t.rename(names.get(c)));
            groups.add(new TensorChannels(t.rename(g.field()), g.rank(), g.firstChannel(), g.componentDims()));
        }
        return new ChannelLayout(renamed, groups);
    }

    /** The field whose components include channel {@code channel}. */
    public TensorChannels fieldOf(int channel) {
        for (TensorChannels g : fields) {
            if (channel >= g.firstChannel() && channel < g.firstChannel() + g.count()) return g;
        }
        throw new IndexOutOfBoundsException("channel " + channel + " of " + size());
    }
}
