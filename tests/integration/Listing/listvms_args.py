#!/usr/bin/python3
"""listvms.py's argparse command line (options, positionals, prog name and help texts as
esxi-listvms has them), as the peer of our hand-written parser.

usage: COLUMNS=80 listvms_args.py VERSION [ARGS...]

argparse prints help, version, usage and errors itself (exit 0 or 2); a successful parse
prints one JSON object with the values.
"""

import argparse
import json
import sys

version = sys.argv[1]
parser = argparse.ArgumentParser(
    prog="esxi-listvms",
    description="List the VMs of an ESXi host as the manifest of the Proxmox VE ESXi import.",
)
parser.add_argument("-v", "--version", action="version", version=version, help="print the version and exit")
parser.add_argument("--skip-cert-verification", action="store_true",
                    help="accept the host's TLS certificate without verifying it")
parser.add_argument("--port", type=int, metavar="PORT", default=443, help="HTTPS port of the host (default 443)")
parser.add_argument("--record", metavar="FILE", help="write what the host answered to FILE (HAR; credentials removed)")
parser.add_argument("--redact", action="store_true",
                    help="replace host, datacenter, datastore and VM names in the recording with placeholders")
parser.add_argument("hostname", help="name or address of the ESXi host")
parser.add_argument("username", help="user to log in as")
parser.add_argument("password_file",
                    help="file with the user's password (one trailing newline is dropped)")
args = parser.parse_args(sys.argv[2:])
json.dump({"host": args.hostname, "user": args.username, "passwordFile": args.password_file,
           "port": args.port, "skip": args.skip_cert_verification, "record": args.record, "redact": args.redact}, sys.stdout)
