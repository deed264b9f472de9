#!/usr/bin/env python3
"""Writes the FUSE golden frames of spec/fuse/ from field lists written out by hand here.

The fixtures are the contract; this script only spares typing rows by hand. It encodes the
structs of linux/fuse.h (7.38) independently of the C# code under test, one field at a time,
and prints 8 bytes a row with a comment naming the fields that start in that row.

    python3 spec/fuse/make-fixtures.py      (rewrites every *.hex file next to it)

The file system behind the replies is the one in tests/unit/Fuse/GoldenFileSystem.cs:
    /            dir 0555, ino 1
    /vm          dir 0555        (first lookup gets ino 2, generation 1)
    /vm/disk.img file 0444, 13 bytes "hello, fuse!\\n" (ino 3, generation 1)
all with mtime 2024-05-01T12:00:00Z, uid/gid 0, blksize 131072, entry/attr timeouts 3600 s,
files opened with FOPEN_KEEP_CACHE, and statfs {blocks 1000, files 3, bsize 4096, namelen 255}.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
MTIME = 1714564800
PID = 1234

OP = dict(LOOKUP=1, FORGET=2, GETATTR=3, SETATTR=4, OPEN=14, READ=15, STATFS=17, RELEASE=18,
          FLUSH=25, INIT=26, OPENDIR=27, READDIR=28, RELEASEDIR=29, INTERRUPT=36,
          BATCH_FORGET=42, READDIRPLUS=44, STATX=52)
OPNAME = {v: k for k, v in OP.items()}


def f(fmt, value, label):
    return [(struct.pack("<" + fmt, value), label)]


def raw(data, label):
    return [(data, label)]


def total(fields):
    return sum(len(b) for b, _ in fields)


def in_header(opcode, unique, nodeid, body_len, note=None):
    length = 40 + body_len
    name = OPNAME.get(opcode, "unknown")
    return (f("I", length, f"len {length}") + f("I", opcode, f"opcode {name} ({opcode})")
            + f("Q", unique, f"unique {unique}") + f("Q", nodeid, f"nodeid {nodeid}")
            + f("I", 0, "uid 0") + f("I", 0, "gid 0") + f("I", PID, f"pid {PID}")
            + f("H", 0, "total_extlen 0") + f("H", 0, "padding"))


def request(opcode, unique, nodeid, body):
    return in_header(opcode, unique, nodeid, total(body)) + body


def out_header(unique, error, payload_len):
    length = 16 + payload_len
    err = f"error {error}" if error else "error 0"
    return f("I", length, f"len {length}") + f("i", error, err) + f("Q", unique, f"unique {unique}")


def reply(unique, payload=(), error=0):
    payload = list(payload)
    return out_header(unique, error, total(payload)) + payload


def attr(ino, size, mode, nlink, prefix="attr."):
    p = prefix
    return (f("Q", ino, p + f"ino {ino}") + f("Q", size, p + f"size {size}")
            + f("Q", (size + 511) // 512, p + f"blocks {(size + 511) // 512}")
            + f("Q", MTIME, p + f"atime {MTIME}") + f("Q", MTIME, p + f"mtime {MTIME}") + f("Q", MTIME, p + f"ctime {MTIME}")
            + f("I", 0, p + "atimensec 0") + f("I", 0, p + "mtimensec 0") + f("I", 0, p + "ctimensec 0")
            + f("I", mode, p + f"mode 0{mode:o}") + f("I", nlink, p + f"nlink {nlink}")
            + f("I", 0, p + "uid 0") + f("I", 0, p + "gid 0") + f("I", 0, p + "rdev 0")
            + f("I", 131072, p + "blksize 131072") + f("I", 0, p + "flags 0"))


DIR = 0o40555
FILE = 0o100444
SIZE = 13
CONTENT = b"hello, fuse!\n"


def entry_out(nodeid, gen, ino_attr, prefix="entry."):
    p = prefix
    return (f("Q", nodeid, p + f"nodeid {nodeid}") + f("Q", gen, p + f"generation {gen}")
            + f("Q", 3600, p + "entry_valid 3600") + f("Q", 3600, p + "attr_valid 3600")
            + f("I", 0, p + "entry_valid_nsec 0") + f("I", 0, p + "attr_valid_nsec 0") + ino_attr)


def empty_entry_out(prefix):
    return raw(bytes(128), prefix + "fuse_entry_out all zero (nodeid 0: no lookup)")


def vm_attr(prefix="entry.attr."):
    return attr(2, 0, DIR, 2, prefix)


def disk_attr(prefix="entry.attr."):
    return attr(3, SIZE, FILE, 1, prefix)


def name(s):
    data = s.encode() + b"\0"
    return raw(data, f'name "{s}" NUL')


def read_in(fh, offset, size, flags=0x8000):
    return (f("Q", fh, f"fh {fh}") + f("Q", offset, f"offset {offset}") + f("I", size, f"size {size}")
            + f("I", 0, "read_flags 0") + f("Q", 0, "lock_owner 0") + f("I", flags, f"flags 0x{flags:x}")
            + f("I", 0, "padding"))


def open_in(flags):
    return f("I", flags, f"flags 0x{flags:x}") + f("I", 0, "open_flags 0")


def open_out(fh, flags):
    return f("Q", fh, f"fh {fh}") + f("I", flags, f"open_flags {flags}") + f("I", 0, "padding")


def release_in(fh, flags=0x8000):
    return (f("Q", fh, f"fh {fh}") + f("I", flags, f"flags 0x{flags:x}") + f("I", 0, "release_flags 0")
            + f("Q", 0, "lock_owner 0"))


def dirent(ino, off, s, dtype, prefix=""):
    data = s.encode()
    pad = (-(24 + len(data))) % 8
    return (f("Q", ino, prefix + f"ino {ino}") + f("Q", off, prefix + f"off {off} (next cookie)")
            + f("I", len(data), prefix + f"namelen {len(data)}") + f("I", dtype, prefix + f"type {dtype}")
            + raw(data + bytes(pad), prefix + f'name "{s}" + {pad} padding'))


def init_in(major, minor, readahead, flags, flags2=None):
    body = (f("I", major, f"major {major}") + f("I", minor, f"minor {minor}")
            + f("I", readahead, f"max_readahead {readahead}") + f("I", flags, f"flags 0x{flags:x}"))
    if flags2 is not None:
        body += f("I", flags2, f"flags2 0x{flags2:x}") + raw(bytes(44), "unused[11]")
    return body


def init_out(minor, flags, size):
    fields = (f("I", 7, "major 7") + f("I", minor, f"minor {minor}") + f("I", 16777216, "max_readahead 16777216")
              + f("I", flags, f"flags 0x{flags:x}") + f("H", 64, "max_background 64")
              + f("H", 48, "congestion_threshold 48") + f("I", 4096, "max_write 4096")
              + f("I", 1, "time_gran 1") + f("H", 256 if flags & (1 << 22) else 0, "max_pages")
              + f("H", 0, "map_alignment 0") + f("I", 0, "flags2 0") + raw(bytes(28), "unused[7]"))
    out, n = [], 0
    for b, label in fields:
        if n >= size:
            break
        out.append((b, label))
        n += len(b)
    return out


def lookup(unique, parent, s):
    return request(OP["LOOKUP"], unique, parent, name(s))


LOOKUP_VM = lambda u: lookup(u, 1, "vm")
LOOKUP_VM_REPLY = lambda u: reply(u, entry_out(2, 1, vm_attr()))
LOOKUP_DISK = lambda u: lookup(u, 2, "disk.img")
LOOKUP_DISK_REPLY = lambda u: reply(u, entry_out(3, 1, disk_attr()))
OPEN_DISK = lambda u: request(OP["OPEN"], u, 3, open_in(0x8000))
OPEN_DISK_REPLY = lambda u: reply(u, open_out(1, 2))
KEEP = 2

CASES = {}


def add(name_, title, frames, replies):
    CASES[name_] = (title, frames, replies)


# INIT: a 7.45 kernel (this machine) gets 7.38 and the wanted flags it offers.
add("init-7.45", "INIT from a 7.45 kernel (flags and flags2 as seen on kernel 6.18); answered 7.38 with 64 bytes",
    [request(OP["INIT"], 2, 0, init_in(7, 45, 131072, 0x73fffffb, 0x5fd))],
    [reply(2, init_out(38, 0x44a001, 64))])
add("init-7.31", "INIT from a 7.31 kernel: 16-byte fuse_init_in (no flags2), full 64-byte answer at minor 31",
    [request(OP["INIT"], 2, 0, init_in(7, 31, 131072, 0x03fffffb))],
    [reply(2, init_out(31, 0x44a001, 64))])
add("init-7.19", "INIT from a 7.19 kernel: the answer is the 24-byte FUSE_COMPAT_22_INIT_OUT_SIZE prefix",
    [request(OP["INIT"], 2, 0, init_in(7, 19, 131072, 0x0000ffff))],
    [reply(2, init_out(19, 0xa001, 24))])
add("init-major-8", "INIT from a future major 8: answer {major 7} alone (8 bytes) and wait for a second INIT",
    [request(OP["INIT"], 2, 0, init_in(8, 0, 131072, 0))],
    [reply(2, f("I", 7, "major 7") + f("I", 0, "minor 0"))])
add("init-7.10", "INIT from 7.10, older than the 7.12 layouts used here: EPROTO",
    [request(OP["INIT"], 2, 0, init_in(7, 10, 131072, 0))],
    [reply(2, error=-71)])

add("lookup-found", "LOOKUP of vm in the root: entry with a fresh inode 2, generation 1",
    [LOOKUP_VM(2)], [LOOKUP_VM_REPLY(2)])
add("lookup-missing", "LOOKUP of a name that does not exist: ENOENT (no negative caching configured)",
    [lookup(2, 1, "nope")], [reply(2, error=-2)])
add("lookup-under-file", "LOOKUP below a regular file: ENOTDIR",
    [LOOKUP_VM(2), LOOKUP_DISK(4), lookup(6, 3, "x")],
    [LOOKUP_VM_REPLY(2), LOOKUP_DISK_REPLY(4), reply(6, error=-20)])

add("getattr-root", "GETATTR of the root (inode 1, never looked up)",
    [request(OP["GETATTR"], 2, 1, f("I", 0, "getattr_flags 0") + f("I", 0, "dummy") + f("Q", 0, "fh 0"))],
    [reply(2, f("Q", 3600, "attr_valid 3600") + f("I", 0, "attr_valid_nsec 0") + f("I", 0, "dummy") + attr(1, 0, DIR, 2))])

add("open-keep-cache", "OPEN of vm/disk.img read-only: fh 1 with FOPEN_KEEP_CACHE",
    [LOOKUP_VM(2), LOOKUP_DISK(4), OPEN_DISK(6)],
    [LOOKUP_VM_REPLY(2), LOOKUP_DISK_REPLY(4), OPEN_DISK_REPLY(6)])
add("open-write", "OPEN for writing (O_WRONLY) reaches the daemon only without MS_RDONLY; EROFS",
    [LOOKUP_VM(2), LOOKUP_DISK(4), request(OP["OPEN"], 6, 3, open_in(0x8001))],
    [LOOKUP_VM_REPLY(2), LOOKUP_DISK_REPLY(4), reply(6, error=-30)])

add("read-whole", "READ of 4096 bytes at 0 of the 13-byte file: the 13 bytes (EOF is the only short read)",
    [LOOKUP_VM(2), LOOKUP_DISK(4), OPEN_DISK(6), request(OP["READ"], 8, 3, read_in(1, 0, 4096))],
    [LOOKUP_VM_REPLY(2), LOOKUP_DISK_REPLY(4), OPEN_DISK_REPLY(6), reply(8, raw(CONTENT, 'data "hello, fuse!\\n"'))])
add("read-offset", "READ of 5 bytes at offset 7: \"fuse!\"",
    [LOOKUP_VM(2), LOOKUP_DISK(4), OPEN_DISK(6), request(OP["READ"], 8, 3, read_in(1, 7, 5))],
    [LOOKUP_VM_REPLY(2), LOOKUP_DISK_REPLY(4), OPEN_DISK_REPLY(6), reply(8, raw(CONTENT[7:12], 'data "fuse!"'))])
add("read-eof", "READ at the end of file: an empty data reply",
    [LOOKUP_VM(2), LOOKUP_DISK(4), OPEN_DISK(6), request(OP["READ"], 8, 3, read_in(1, 13, 4096))],
    [LOOKUP_VM_REPLY(2), LOOKUP_DISK_REPLY(4), OPEN_DISK_REPLY(6), reply(8)])
add("read-bad-handle", "READ with a file handle that was never opened: EBADF",
    [request(OP["READ"], 2, 3, read_in(42, 0, 4096))], [reply(2, error=-9)])
add("release", "RELEASE of an open file: empty success",
    [LOOKUP_VM(2), LOOKUP_DISK(4), OPEN_DISK(6), request(OP["RELEASE"], 8, 3, release_in(1))],
    [LOOKUP_VM_REPLY(2), LOOKUP_DISK_REPLY(4), OPEN_DISK_REPLY(6), reply(8)])

OPENDIR_ROOT = lambda u: request(OP["OPENDIR"], u, 1, open_in(0x18800))
OPENDIR_ROOT_REPLY = lambda u: reply(u, open_out(1, 0))
add("readdir-root", "OPENDIR + READDIR of the root: \".\", \"..\", vm, each record padded to 8 bytes; then the end",
    [OPENDIR_ROOT(2), request(OP["READDIR"], 4, 1, read_in(1, 0, 4096, 0x18800)),
     request(OP["READDIR"], 6, 1, read_in(1, 3, 4096, 0x18800))],
    [OPENDIR_ROOT_REPLY(2),
     reply(4, dirent(1, 1, ".", 4) + dirent(1, 2, "..", 4) + dirent(2, 3, "vm", 4)),
     reply(6)])
add("readdir-small-buffer", "READDIR with room for two records only, then the rest from cookie 2",
    [OPENDIR_ROOT(2), request(OP["READDIR"], 4, 1, read_in(1, 0, 64, 0x18800)),
     request(OP["READDIR"], 6, 1, read_in(1, 2, 64, 0x18800))],
    [OPENDIR_ROOT_REPLY(2),
     reply(4, dirent(1, 1, ".", 4) + dirent(1, 2, "..", 4)),
     reply(6, dirent(2, 3, "vm", 4))])
add("readdirplus-root", "READDIRPLUS of the root: \".\" and \"..\" without a node, vm with its entry (one lookup)",
    [OPENDIR_ROOT(2), request(OP["READDIRPLUS"], 4, 1, read_in(1, 0, 4096, 0x18800))],
    [OPENDIR_ROOT_REPLY(2),
     reply(4, empty_entry_out(".: ") + dirent(1, 1, ".", 4, ".: ")
           + empty_entry_out("..: ") + dirent(1, 2, "..", 4, "..: ")
           + entry_out(2, 1, vm_attr("vm: attr."), "vm: ") + dirent(2, 3, "vm", 4, "vm: "))])
add("releasedir", "RELEASEDIR: empty success",
    [OPENDIR_ROOT(2), request(OP["RELEASEDIR"], 4, 1, release_in(1, 0x18800))],
    [OPENDIR_ROOT_REPLY(2), reply(4)])

add("statfs", "STATFS: fuse_kstatfs from the file system's figures",
    [request(OP["STATFS"], 2, 1, [])],
    [reply(2, f("Q", 1000, "blocks 1000") + f("Q", 0, "bfree 0") + f("Q", 0, "bavail 0") + f("Q", 3, "files 3")
           + f("Q", 0, "ffree 0") + f("I", 4096, "bsize 4096") + f("I", 255, "namelen 255")
           + f("I", 4096, "frsize 4096") + f("I", 0, "padding") + raw(bytes(24), "spare[6]"))])

add("forget", "FORGET after a LOOKUP: never answered",
    [LOOKUP_VM(2), request(OP["FORGET"], 4, 2, f("Q", 1, "nlookup 1"))],
    [LOOKUP_VM_REPLY(2)])
add("batch-forget", "BATCH_FORGET of one node: never answered",
    [LOOKUP_VM(2), request(OP["BATCH_FORGET"], 4, 0, f("I", 1, "count 1") + f("I", 0, "dummy")
                          + f("Q", 2, "forget_one.nodeid 2") + f("Q", 1, "forget_one.nlookup 1"))],
    [LOOKUP_VM_REPLY(2)])
add("interrupt-unknown", "INTERRUPT of a request that is not in flight: EAGAIN to the interrupt's own unique (target|1)",
    [request(OP["INTERRUPT"], 101, 0, f("Q", 100, "target unique 100"))],
    [reply(101, error=-11)])

add("setattr-refused", "SETATTR (e.g. touch without MS_RDONLY): EROFS without reading the body",
    [request(OP["SETATTR"], 2, 1, raw(bytes(88), "fuse_setattr_in (not read)"))],
    [reply(2, error=-30)])
add("flush-unsupported", "FLUSH on close: ENOSYS, which the kernel remembers for the connection",
    [request(OP["FLUSH"], 2, 3, raw(bytes(24), "fuse_flush_in (not read)"))],
    [reply(2, error=-38)])
add("statx-unsupported", "STATX (opcode 52, sent by kernel 6.18 even at 7.38): ENOSYS, the kernel falls back to GETATTR",
    [request(OP["STATX"], 2, 1, raw(bytes(24), "fuse_statx_in (not read)"))],
    [reply(2, error=-38)])
add("unknown-opcode", "An opcode from the future (999): ENOSYS",
    [request(999, 2, 1, [])],
    [reply(2, error=-38)])

add("malformed-read-short-body", "READ whose body is 8 bytes instead of 40: a ParseError, answered EIO",
    [request(OP["READ"], 2, 3, f("Q", 1, "fh 1 (and nothing else)"))],
    [reply(2, error=-5)])
add("malformed-lookup-no-nul", "LOOKUP whose name has no NUL: a ParseError, answered EIO",
    [request(OP["LOOKUP"], 2, 1, raw(b"vm", 'name "vm" without NUL'))],
    [reply(2, error=-5)])
add("malformed-length-mismatch", "A header claiming 48 bytes on a 40-byte frame: EIO to the unique it names",
    [[(struct.pack("<I", 48), "len 48 (frame has 40)")] + in_header(OP["STATFS"], 2, 1, 0)[1:]],
    [reply(2, error=-5)])
add("malformed-too-short", "A 16-byte frame: no header, no unique, so nothing can be answered (logged only)",
    [raw(struct.pack("<IIQ", 16, OP["STATFS"], 2), "len 16, opcode STATFS, unique 2, then nothing")],
    [])


def render(title, frames):
    lines = ["# " + title]
    for i, fields in enumerate(frames):
        lines.append(f"# --- frame {i + 1}")
        data = b"".join(b for b, _ in fields)
        starts, pos = {}, 0
        for b, label in fields:
            starts.setdefault(pos // 8, []).append(label)
            pos += len(b)
        for row in range(0, len(data), 8):
            chunk = data[row:row + 8]
            hexes = " ".join(f"{x:02x}" for x in chunk).ljust(23)
            labels = starts.get(row // 8)
            lines.append(hexes + ("  # " + ", ".join(labels) if labels else ""))
    return "\n".join(lines) + "\n"


for key, (title, frames, replies) in CASES.items():
    with open(os.path.join(HERE, key + ".in.hex"), "w") as fh:
        fh.write(render(title, frames))
    with open(os.path.join(HERE, key + ".out.hex"), "w") as fh:
        fh.write(render("replies, in order: " + title, replies) if replies else "# no reply: " + title + "\n")
print(len(CASES), "cases")
