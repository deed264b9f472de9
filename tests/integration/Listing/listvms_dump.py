#!/usr/bin/python3
"""The bytes listvms.py writes for given data, as the peer of our manifest writer.

Reads a JSON array of manifests from stdin, each given as plain data with every string spelled
as its UTF-16 code units (so nothing of our own JSON escaping reaches this side):

    [[dc, [[vm, [datastore, path, checksum], [[datastore, path, capacity], ...], power], ...],
          [[datastore, url], ...]], ...]

builds the same Python objects listvms.py builds (dataclasses in its field order, datacenters
filled with setdefault("vms") before setdefault("datastores")), writes each with
json.dump(data, f, indent=2, default=...) exactly as listvms.py calls it, and prints the JSON
array of the written texts.
"""

import dataclasses
import io
import json
import struct
import sys
from dataclasses import dataclass


def text(units):
    return struct.pack("<%dH" % len(units), *units).decode("utf-16-le", "surrogatepass")


@dataclass
class VmVmxInfo:
    datastore: str
    path: str
    checksum: str


@dataclass
class VmDiskInfo:
    datastore: str
    path: str
    capacity: int


@dataclass
class VmInfo:
    config: VmVmxInfo
    disks: list
    power: str


def helper(obj):
    if dataclasses.is_dataclass(obj):
        return dataclasses.asdict(obj)
    raise TypeError(repr(obj))


def build(manifest):
    data = {}
    for dc_units, vms, datastores in manifest:
        dc = data.setdefault(text(dc_units), {})
        dc_vms = dc.setdefault("vms", {})
        dc_datastores = dc.setdefault("datastores", {})
        for name, config, disks, power in vms:
            dc_vms[text(name)] = VmInfo(
                config=VmVmxInfo(*(text(u) for u in config)),
                disks=[VmDiskInfo(text(d), text(p), c) for d, p, c in disks],
                power=text(power),
            )
        dc_datastores.update({text(n): text(u) for n, u in datastores})
    return data


out = []
for manifest in json.load(sys.stdin):
    f = io.StringIO()
    json.dump(build(manifest), f, indent=2, default=helper)
    out.append(f.getvalue())
json.dump(out, sys.stdout)
