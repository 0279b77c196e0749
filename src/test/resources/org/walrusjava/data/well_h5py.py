"""How h5py sees a Well file: used by WellWriterH5pyTest to prove that files written by WellWriter read in h5py
exactly like the h5py-written fixtures, and that they pass the rules of the_well's format checker.

  well_h5py.py dump FILE           print every group / attribute / dataset as h5py sees it (JSON)
  well_h5py.py compare FILE FILE   exit 1 and list the differences unless both files read identically
  well_h5py.py check FILE...       exit 1 and list the violations of the_well's format rules

Needs h5py (Debian: python3-h5py, run with /usr/bin/python3).
"""
import json
import sys

import h5py
import numpy as np
from h5py import h5d, h5s, h5t

TYPE_CLASSES = {h5t.INTEGER: "integer", h5t.FLOAT: "float", h5t.STRING: "string", h5t.BITFIELD: "bitfield",
                h5t.OPAQUE: "opaque", h5t.COMPOUND: "compound", h5t.ENUM: "enum", h5t.VLEN: "vlen",
                h5t.ARRAY: "array", h5t.REFERENCE: "reference"}
SPACE_CLASSES = {h5s.SCALAR: "scalar", h5s.SIMPLE: "simple", h5s.NULL: "null"}
LAYOUTS = {h5d.COMPACT: "compact", h5d.CONTIGUOUS: "contiguous", h5d.CHUNKED: "chunked"}


def stored_type(t):
    """The HDF5 storage type, field by field (what decides how any reader decodes it)."""
    cls = t.get_class()
    d = {"class": TYPE_CLASSES.get(cls, cls), "size": t.get_size()}
    if cls in (h5t.INTEGER, h5t.FLOAT, h5t.BITFIELD):
        d["order"] = t.get_order()
    if cls == h5t.INTEGER:
        d["signed"] = t.get_sign()
    if cls == h5t.STRING:
        d.update(variable=t.is_variable_str(), cset=t.get_cset(), strpad=t.get_strpad())
    if cls == h5t.ENUM:
        d["base"] = stored_type(t.get_super())
        d["members"] = [[t.get_member_name(i).decode(), int(t.get_member_value(i))] for i in range(t.get_nmembers())]
    return d


def python_view(value):
    """What a caller of h5py gets: the Python type, and for arrays the dtype and element type."""
    view = {"type": type(value).__name__}
    if isinstance(value, np.ndarray):
        view.update(dtype=str(value.dtype), shape=list(value.shape),
                    string_dtype=str(h5py.check_string_dtype(value.dtype)),
                    element=type(value.flat[0]).__name__ if value.size else None)
    elif isinstance(value, np.generic):
        view["dtype"] = str(value.dtype)
    return view


def describe_attr(obj, name):
    attr = obj.attrs.get_id(name)
    value = obj.attrs[name]
    return {"stored": stored_type(attr.get_type()),
            "space": SPACE_CLASSES.get(attr.get_space().get_simple_extent_type()),
            "shape": list(attr.shape), "python": python_view(value)}, value


def describe_dataset(ds):
    plist = ds.id.get_create_plist()
    filters = [[f[0], f[1], list(f[2])] for f in (plist.get_filter(i) for i in range(plist.get_nfilters()))]
    value = ds[()]
    return {"stored": stored_type(ds.id.get_type()),
            "space": SPACE_CLASSES.get(ds.id.get_space().get_simple_extent_type()),
            "shape": list(ds.shape), "dtype": str(ds.dtype), "python": python_view(value),
            "layout": LAYOUTS.get(plist.get_layout()), "chunks": list(ds.chunks) if ds.chunks else None,
            "compression": ds.compression, "compression_opts": ds.compression_opts, "shuffle": ds.shuffle,
            "fletcher32": ds.fletcher32, "filters": filters, "fill_time": plist.get_fill_time(),
            "alloc_time": plist.get_alloc_time(), "fill_value_defined": plist.fill_value_defined(),
            "fillvalue": ds.fillvalue.item() if hasattr(ds.fillvalue, "item") else ds.fillvalue,
            "track_times": plist.get_obj_track_times()}, value


def inventory(path):
    """{object path: (description, {attr: (description, value)}, dataset value or None)}."""
    objects = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            attrs = {a: describe_attr(obj, a) for a in obj.attrs}
            if isinstance(obj, h5py.Dataset):
                desc, value = describe_dataset(obj)
                objects["/" + name] = (dict(kind="dataset", **desc), attrs, value)
            else:
                objects["/" + name if name else "/"] = ({"kind": "group"}, attrs, None)
        visit("", f)
        f.visititems(visit)
    return objects


def same_value(a, b):
    a_arr, b_arr = np.asarray(a), np.asarray(b)
    return a_arr.dtype == b_arr.dtype and a_arr.shape == b_arr.shape and np.array_equal(a_arr, b_arr)


def compare(path_a, path_b):
    a, b = inventory(path_a), inventory(path_b)
    diffs = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            diffs.append(f"{name}: only in {path_a if name in a else path_b}")
            continue
        (desc_a, attrs_a, value_a), (desc_b, attrs_b, value_b) = a[name], b[name]
        for key in sorted(set(desc_a) | set(desc_b)):
            if desc_a.get(key) != desc_b.get(key):
                diffs.append(f"{name}: {key} {desc_a.get(key)} != {desc_b.get(key)}")
        if desc_a["kind"] == "dataset" and not same_value(value_a, value_b):
            diffs.append(f"{name}: values differ")
        for attr in sorted(set(attrs_a) | set(attrs_b)):
            if attr not in attrs_a or attr not in attrs_b:
                diffs.append(f"{name}@{attr}: only in {path_a if attr in attrs_a else path_b}")
                continue
            (d_a, v_a), (d_b, v_b) = attrs_a[attr], attrs_b[attr]
            if d_a != d_b:
                diffs.append(f"{name}@{attr}: {d_a} != {d_b}")
            elif not same_value(v_a, v_b):
                diffs.append(f"{name}@{attr}: value {v_a!r} != {v_b!r}")
    return diffs


def format_problems(path):
    """The rules of the_well's scripts/check_thewell_formatting.py, collected instead of asserted."""
    problems = []
    with h5py.File(path, "r") as f:
        def need(condition, message):
            if not condition:
                problems.append(message)
            return condition

        def is_bool(value):
            return isinstance(value, (bool, np.bool_))

        def is_list(value):
            return isinstance(value, (list, np.ndarray))

        def flags(obj, where):
            ok = True
            for flag in ("sample_varying", "time_varying"):
                ok &= need(flag in obj.attrs and is_bool(obj.attrs[flag]), f"{where}: '{flag}' must be a bool")
            return ok

        root = f.attrs
        need("n_spatial_dims" in root and np.issubdtype(np.asarray(root["n_spatial_dims"]).dtype, np.integer),
             "root: n_spatial_dims must be an integer")
        need("n_trajectories" in root and isinstance(root["n_trajectories"], (int, np.integer)),
             "root: n_trajectories must be an integer")
        for name in ("dataset_name", "grid_type"):
            need(name in root and isinstance(root[name], str), f"root: {name} must be a str")
        if need("simulation_parameters" in root, "root: simulation_parameters missing"):
            for parameter in root["simulation_parameters"]:
                need(parameter in root, f"root: simulation parameter {parameter} is not a root attribute")
        for group in ("dimensions", "t0_fields", "t1_fields", "t2_fields", "scalars", "boundary_conditions"):
            need(group in f, f"group {group} missing")
        if problems:
            return problems

        dims = f["dimensions"]
        n_dims = int(root["n_spatial_dims"])
        need(n_dims > 0, "root: n_spatial_dims must be positive")
        if need("time" in dims, "dimensions: no time dataset"):
            need("sample_varying" in dims["time"].attrs and is_bool(dims["time"].attrs["sample_varying"]),
                 "dimensions/time: 'sample_varying' must be a bool")
        spatial = dims.attrs.get("spatial_dims")
        if not (need(is_list(spatial) and len(spatial) > 0 and isinstance(spatial[0], str),
                     "dimensions: spatial_dims must be a list of str")
                and need(len(spatial) == n_dims, "dimensions: spatial_dims length != n_spatial_dims")):
            return problems
        for d in spatial:
            if need(d in dims, f"dimensions: no dataset for spatial dim {d}"):
                flags(dims[d], f"dimensions/{d}")
        n_steps = dims["time"].shape[-1]

        for rank in range(3):
            group = f[f"t{rank}_fields"]
            names = group.attrs.get("field_names")
            if not need(is_list(names), f"t{rank}_fields: field_names must be a list"):
                continue
            need(len(names) == 0 or isinstance(names[0], str), f"t{rank}_fields: field_names must be str")
            for name in names:
                where = f"t{rank}_fields/{name}"
                if not need(name in group, f"{where}: listed in field_names but missing"):
                    continue
                field = group[name]
                if not flags(field, where):
                    continue
                axis = 0
                if field.attrs["sample_varying"]:
                    need(field.shape[axis] == root["n_trajectories"], f"{where}: sample axis != n_trajectories")
                    axis += 1
                if field.attrs["time_varying"]:
                    need(field.shape[axis] == n_steps, f"{where}: time axis != length of dimensions/time")
                    axis += 1
                varying = field.attrs.get("dim_varying")
                if not need(is_list(varying) and len(varying) == n_dims and is_bool(varying[0]),
                            f"{where}: dim_varying must be a list of n_spatial_dims bools"):
                    continue
                for d, varies in zip(spatial, varying):
                    if varies:
                        need(field.shape[axis] == dims[d].shape[-1], f"{where}: axis {d} size != dimensions/{d}")
                        axis += 1

        scalars = f["scalars"]
        names = scalars.attrs.get("field_names")
        if need(is_list(names), "scalars: field_names must be a list"):
            need(len(names) == 0 or isinstance(names[0], str), "scalars: field_names must be str")
            for name in names:
                if need(name in scalars, f"scalars/{name}: listed but missing") and flags(scalars[name],
                                                                                         f"scalars/{name}"):
                    s = scalars[name]
                    need(len(s.shape) == int(s.attrs["sample_varying"]) + int(s.attrs["time_varying"]),
                         f"scalars/{name}: rank != sample_varying + time_varying")

        for key, bc in f["boundary_conditions"].items():
            where = f"boundary_conditions/{key}"
            need("bc_type" in bc.attrs, f"{where}: no bc_type")
            need("associated_fields" in bc.attrs, f"{where}: no associated_fields")
            if not flags(bc, where):
                continue
            associated = bc.attrs.get("associated_dims")
            if not (need(is_list(associated) and len(associated) > 0, f"{where}: associated_dims must be a list")
                    and need("mask" in bc, f"{where}: no mask")):
                continue
            lead = int(bc.attrs["sample_varying"]) + int(bc.attrs["time_varying"])
            for i, d in enumerate(associated):
                if need(d in spatial, f"{where}: associated dim {d} not in spatial_dims"):
                    need(bc["mask"].shape[lead + i] == dims[d].shape[-1], f"{where}: mask axis {d} size mismatch")
    return problems


def main(argv):
    mode, paths = argv[1], argv[2:]
    if mode == "dump":
        for name, (desc, attrs, _) in inventory(paths[0]).items():
            print(json.dumps({"object": name, **desc, "attrs": {a: d for a, (d, _) in attrs.items()}}, default=str))
        return 0
    if mode == "compare":
        diffs = compare(paths[0], paths[1])
        print("\n".join(diffs) if diffs else "identical")
        return 1 if diffs else 0
    if mode == "check":
        failed = 0
        for path in paths:
            problems = format_problems(path)
            print(f"{path}: " + ("passes" if not problems else "; ".join(problems)))
            failed += bool(problems)
        return 1 if failed else 0
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
