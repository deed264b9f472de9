#!/usr/bin/python3
"""Populates a vcsim peer through its own APIs, as a vSphere client would: VMs made with
Folder.CreateVM_Task (a PVSCSI controller, flat disks created by the host), powered on or
suspended with their tasks, then real bytes PUT over /folder into every .vmx, .nvram, descriptor
and -flat extent. Prints one JSON object: the VMs it made, with their files.

The bytes are a pure function of the file's name, so two runs make the same host. The VMs cover
what a listing and a mount must get right: a non-ASCII name with '#' in a nested folder, a name
with spaces, '+' and '%' in names, several disks, a disk on a second datastore, extents whose
sizes are not multiples of a cache page, and every power state.

usage: vcsim_populate.py HOST:PORT USER PASSWORD
"""

import hashlib
import http.client
import json
import ssl
import sys
import urllib.parse

from pyVim.connect import SmartConnect, Disconnect
from pyVim.task import WaitForTask
from pyVmomi import vim

DATACENTER = "ha-datacenter"
MiB = 1024 * 1024

# name, folder of its .vmx ("" = vcsim picks "<name>/"), power state, disks as (datastore, path, size)
VMS = [
    ("Ünïcødé web #1", "odd folder/sub/Ünïcødé web #1", "poweredOff",
     [("LocalDS_0", "odd folder/sub/Ünïcødé web #1/Ünïcødé web #1.vmdk", 3 * MiB + 1536)]),
    ("web server 02", "", "poweredOn",
     [("LocalDS_0", "web server 02/web server 02.vmdk", 2 * MiB),
      ("LocalDS_1", "web server 02/web server 02_1.vmdk", 1 * MiB + 512)]),
    ("db+cache 100%", "", "suspended",
     [("LocalDS_0", "db+cache 100%/db+cache 100%.vmdk", 512 * 1024 + 512),
      ("LocalDS_0", "db+cache 100%/db+cache 100%_1.vmdk", 4 * MiB)]),
]


def content(name, size):
    """size bytes derived from name: SHA-256 in counter mode (fast, and no two files alike)."""
    seed = name.encode("utf-8")
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(seed + counter.to_bytes(8, "little")).digest()
        counter += 1
    return bytes(out[:size])


def vmx_text(name, disks):
    lines = [
        '.encoding = "UTF-8"',
        'config.version = "8"',
        'virtualHW.version = "14"',
        f'displayName = "{name}"',
        'guestOS = "other-64"',
        'memSize = "64"',
        'numvcpus = "1"',
        'scsi0.present = "TRUE"',
        'scsi0.virtualDev = "pvscsi"',
    ]
    vm_ds = disks[0][0]
    vm_dir = disks[0][1].rsplit("/", 1)[0]
    for unit, (ds, path, _) in enumerate(disks):
        # A disk beside the .vmx is named relative to it, one elsewhere as ESXi writes it:
        # /vmfs/volumes/<volume>/path, the volume being the last part of the datastore's URL
        # (filled in by the caller).
        same = ds == vm_ds and path.rsplit("/", 1)[0] == vm_dir
        file_name = path.rsplit("/", 1)[1] if same else "/vmfs/volumes/{" + ds + "}/" + path
        lines += [f'scsi0:{unit}.present = "TRUE"', f'scsi0:{unit}.deviceType = "scsi-hardDisk"',
                  f'scsi0:{unit}.fileName = "{file_name}"']
    return "\n".join(lines) + "\n"


def descriptor_text(path, size):
    extent = path.rsplit("/", 1)[1].replace(".vmdk", "-flat.vmdk")
    sectors = size // 512
    return (
        "# Disk DescriptorFile\n"
        "version=1\n"
        "encoding=\"UTF-8\"\n"
        f"CID={hashlib.sha256(path.encode()).hexdigest()[:8]}\n"
        "parentCID=ffffffff\n"
        "createType=\"vmfs\"\n"
        "\n"
        "# Extent description\n"
        f"RW {sectors} VMFS \"{extent}\"\n"
        "\n"
        "# The Disk Data Base\n"
        "#DDB\n"
        "\n"
        "ddb.adapterType = \"lsilogic\"\n"
        f"ddb.geometry.cylinders = \"{max(1, sectors // (255 * 63))}\"\n"
        "ddb.geometry.heads = \"255\"\n"
        "ddb.geometry.sectors = \"63\"\n"
        "ddb.virtualHWVersion = \"14\"\n"
    )


class Folder:
    """PUT /folder/<path>?dcPath=&dsName= on one connection (vcsim checks no credentials here)."""

    def __init__(self, host):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.connection = http.client.HTTPSConnection(host, context=context, timeout=30)

    def put(self, datastore, path, body):
        query = urllib.parse.urlencode({"dcPath": DATACENTER, "dsName": datastore}, quote_via=urllib.parse.quote)
        self.connection.request("PUT", "/folder/" + urllib.parse.quote(path) + "?" + query, body=body)
        response = self.connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"PUT [{datastore}] {path}: HTTP {response.status}")


def main():
    host, user, password = sys.argv[1:4]
    hostname, port = host.rsplit(":", 1)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    si = SmartConnect(host=hostname, port=int(port), user=user, pwd=password, sslContext=context)
    try:
        content_ = si.RetrieveContent()
        datacenter = next(e for e in content_.rootFolder.childEntity if isinstance(e, vim.Datacenter))
        compute = datacenter.hostFolder.childEntity[0]
        # Not datacenter.datastore: vcsim's ESX model keeps a dangling reference there.
        urls = {ds.name: ds.info.url for ds in datacenter.datastoreFolder.childEntity}
        files = Folder(host)
        made = []
        for name, folder, power, disks in VMS:
            made.append(create_vm(si, datacenter, compute, urls, files, name, folder, power, disks))
        json.dump({"vms": made}, sys.stdout, ensure_ascii=False)
        print()
    finally:
        Disconnect(si)


def create_vm(si, datacenter, compute, urls, files, name, folder, power, disks):
    manager = si.content.fileManager
    for ds, path, _ in disks:
        directory = path.rsplit("/", 1)[0]
        if ds != "LocalDS_0" or folder:
            # vcsim makes a VM's own folder, but neither its parents nor a folder on another datastore.
            parent = folder.rsplit("/", 1)[0] if ds == "LocalDS_0" else directory
            try:
                manager.MakeDirectory(name=f"[{ds}] {parent}", datacenter=datacenter, createParentDirectories=True)
            except vim.fault.FileAlreadyExists:
                pass

    devices = [vim.vm.device.VirtualDeviceSpec(
        operation="add",
        device=vim.vm.device.ParaVirtualSCSIController(key=1000, busNumber=0, sharedBus="noSharing"))]
    for unit, (ds, path, size) in enumerate(disks):
        devices.append(vim.vm.device.VirtualDeviceSpec(
            operation="add", fileOperation="create",
            device=vim.vm.device.VirtualDisk(
                key=-(unit + 1), controllerKey=1000, unitNumber=unit,
                capacityInKB=size // 1024, capacityInBytes=size,
                backing=vim.vm.device.VirtualDisk.FlatVer2BackingInfo(
                    fileName=f"[{ds}] {path}", diskMode="persistent", thinProvisioned=False))))
    vm_path = f"[LocalDS_0] {folder}/{name}.vmx" if folder else "[LocalDS_0]"
    spec = vim.vm.ConfigSpec(name=name, guestId="otherGuest64", memoryMB=64, numCPUs=1,
                             files=vim.vm.FileInfo(vmPathName=vm_path), deviceChange=devices)
    task = datacenter.vmFolder.CreateVM_Task(config=spec, pool=compute.resourcePool, host=compute.host[0])
    WaitForTask(task)
    vm = task.info.result
    if power in ("poweredOn", "suspended"):
        WaitForTask(vm.PowerOnVM_Task())
    if power == "suspended":
        WaitForTask(vm.SuspendVM_Task())

    vmx_ds, vmx_path = vm.config.files.vmPathName[1:].split("] ", 1)
    written = []

    def put(ds, path, body):
        files.put(ds, path, body)
        written.append({"datastore": ds, "path": path, "size": len(body)})

    text = vmx_text(name, disks)
    for ds, url in urls.items():
        text = text.replace("{" + ds + "}", url.rstrip("/").rsplit("/", 1)[1])
    put(vmx_ds, vmx_path, text.encode("utf-8"))
    put(vmx_ds, vmx_path[:-len(".vmx")] + ".nvram", content(vmx_path + ".nvram", 8684))
    for ds, path, size in disks:
        put(ds, path, descriptor_text(path, size).encode("utf-8"))
        put(ds, path.replace(".vmdk", "-flat.vmdk"), content(ds + path, size))
    return {"name": name, "vmx": {"datastore": vmx_ds, "path": vmx_path}, "power": power, "files": written}


if __name__ == "__main__":
    sys.exit(main())
