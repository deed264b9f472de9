#!/usr/bin/python3
"""A listvms-style walk with pyvmomi, used to check the emulator against a real vSphere client.

It follows the upstream listing tool's behaviour (one property read per access, datacenter
found by walking `parent`, vCLS / diskless / config-less VMs skipped with a notice on stderr)
and prints the manifest JSON on stdout. Where upstream would silently overwrite a duplicate VM
name, this walk keeps the first VM and reports the duplicate, as our C# command does.

usage: listvms_walk.py [--skip-cert-verification] [--port N] HOST USER PASSWORD_FILE
"""

import argparse
import json
import ssl
import sys

from pyVim.connect import SmartConnect, Disconnect
from pyVmomi import vim


def eprint(*args):
    print(*args, file=sys.stderr)


def parse_file_path(path, known=()):
    # "[datastore1] dir/vm.vmx" -> ("datastore1", "dir/vm.vmx"). Names the VM is known to use are
    # matched first (longest first), because a datastore name may itself contain "] ".
    for name in sorted(known, key=len, reverse=True):
        if path.startswith("[" + name + "] "):
            return name, path[len(name) + 3:]
    datastore, rest = path.split("] ", 1)
    return datastore[1:], rest


def datacenter_of(vm):
    parent = vm.parent
    while parent is not None:
        if isinstance(parent, vim.Datacenter):
            return parent
        parent = parent.parent
    return None


def is_vcls_agent(vm):
    return any(opt.key == "HDCS.agent" and str(opt.value).lower() == "true" for opt in vm.config.extraConfig)


def vm_record(vm):
    config = vm.config
    urls = {pair.name: pair.url for pair in config.datastoreUrl}
    datastore, path = parse_file_path(config.files.vmPathName, urls)
    checksum = config.vmxConfigChecksum.hex() if config.vmxConfigChecksum else "N/A"
    disks = []
    for device in config.hardware.device:
        if isinstance(device, vim.vm.device.VirtualDisk):
            disk_ds, disk_path = parse_file_path(device.backing.fileName, urls)
            disks.append({"datastore": disk_ds, "path": disk_path, "capacity": device.capacityInBytes})
    record = {
        "config": {"datastore": datastore, "path": path, "checksum": checksum},
        "disks": disks,
        "power": str(vm.runtime.powerState),
    }
    return record, urls


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-cert-verification", action="store_true")
    parser.add_argument("--port", type=int, default=443)
    parser.add_argument("hostname")
    parser.add_argument("username")
    parser.add_argument("password_file")
    args = parser.parse_args()

    with open(args.password_file) as f:
        password = f.read()
    if password.endswith("\n"):
        password = password[:-1]
        if password.endswith("\r"):
            password = password[:-1]

    context = None
    if args.skip_cert_verification:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE

    try:
        si = SmartConnect(host=args.hostname, user=args.username, pwd=password, port=args.port, sslContext=context)
    except vim.fault.InvalidLogin:
        eprint("failed to login due to an incorrect username or password")
        return 1

    try:
        content = si.content
        view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
        vms = view.view
        view.Destroy()
        data = {}
        for vm in vms:
            config = vm.config
            if config is None:
                eprint(f"Failed to get info for VM {vm.name}: the VM's configuration cannot be read")
                continue
            if is_vcls_agent(vm):
                eprint(f"Skipping vCLS agent VM: {vm.name}")
                continue
            if not parse_file_path(config.files.vmPathName)[0]:
                eprint(f"Skipping diskless VM: {vm.name}")
                continue
            dc = datacenter_of(vm)
            if dc is None:
                eprint(f"Failed to get info for VM {vm.name}: Failed to lookup datacenter for VM {vm.name}")
                continue
            entry = data.setdefault(dc.name, {"datastores": {}, "vms": {}})
            if vm.name in entry["vms"]:
                eprint(f"Duplicate VM name {vm.name} in datacenter {dc.name}: keeping the first one")
                continue
            record, urls = vm_record(vm)
            entry["vms"][vm.name] = record
            entry["datastores"].update(urls)
        json.dump(data, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
        print()
    finally:
        Disconnect(si)
    return 0


if __name__ == "__main__":
    sys.exit(main())
