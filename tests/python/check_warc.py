"""Independent checks of WARC files written by gleaner, for tests/warc.rs.

Usage: python check_warc.py FILE.warc.gz...

For every file:
1. `warcio check` (the reference implementation) must pass: every block and payload digest it verifies
   matches (warcio does not verify revisit records).
2. With the standard library only, every gzip member is decompressed on its own: each must hold exactly
   one WARC record, and every record's WARC-Block-Digest (revisits included) and, for request and response
   records, WARC-Payload-Digest (the bytes after the HTTP head) must match a fresh SHA-1.
3. warcio's ArchiveIterator must see the same records at the same offsets and lengths as the members,
   with check_digests on and no digest failure.
4. The CDXJ index beside the file must list exactly the response and revisit records, with warcio's
   offsets and lengths, sorted.

Prints a JSON summary on success; exits 1 with the problems otherwise.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import zlib

from warcio.archiveiterator import ArchiveIterator


def sha1_b32(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def members(data):
    """Yield (offset, length, decompressed bytes) for each gzip member."""
    offset = 0
    while offset < len(data):
        d = zlib.decompressobj(wbits=31)
        out = d.decompress(data[offset:])
        out += d.flush()
        if not d.eof:
            raise ValueError("truncated gzip member at offset %d" % offset)
        length = len(data) - offset - len(d.unused_data)
        yield offset, length, out
        offset += length


def parse_record(raw):
    head_end = raw.index(b"\r\n\r\n")
    lines = raw[:head_end].decode("utf-8").split("\r\n")
    if not lines[0].startswith("WARC/1.1"):
        raise ValueError("not a WARC/1.1 record: %r" % lines[0])
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields.setdefault(name.strip().lower(), value.strip())
    length = int(fields["content-length"])
    block = raw[head_end + 4 : head_end + 4 + length]
    rest = raw[head_end + 4 + length :]
    if len(block) != length or rest != b"\r\n\r\n":
        raise ValueError("record length or trailer wrong")
    return fields, block


def http_body(block):
    end = block.index(b"\r\n\r\n")
    return block[end + 4 :]


def check_file(path, problems):
    summary = {"file": os.path.basename(path), "records": 0, "types": {}}
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from warcio.cli import main; main(sys.argv[1:])",
         "check", "-v", path],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        problems.append("%s: warcio check failed:\n%s%s" % (path, result.stdout, result.stderr))
    summary["warcio_check_digest_pass"] = result.stdout.count("digest pass")

    data = open(path, "rb").read()
    own = []
    for offset, length, raw in members(data):
        try:
            fields, block = parse_record(raw)
        except ValueError as e:
            problems.append("%s@%d: %s (each gzip member must hold one record)" % (path, offset, e))
            continue
        kind = fields["warc-type"]
        summary["types"][kind] = summary["types"].get(kind, 0) + 1
        if fields.get("warc-block-digest") != sha1_b32(block):
            problems.append("%s@%d: %s block digest mismatch" % (path, offset, kind))
        if "warc-payload-digest" not in fields:
            problems.append("%s@%d: %s has no payload digest" % (path, offset, kind))
        elif kind in ("request", "response"):
            if fields["warc-payload-digest"] != sha1_b32(http_body(block)):
                problems.append("%s@%d: %s payload digest mismatch" % (path, offset, kind))
        elif kind in ("warcinfo", "metadata"):
            if fields["warc-payload-digest"] != sha1_b32(block):
                problems.append("%s@%d: %s payload digest mismatch" % (path, offset, kind))
        own.append((offset, length, kind, fields.get("warc-record-id")))
    summary["records"] = len(own)
    if not own or own[0][2] != "warcinfo":
        problems.append("%s: the first record is not warcinfo" % path)

    seen = []
    with open(path, "rb") as stream:
        it = ArchiveIterator(stream, check_digests=True)
        for record in it:
            record.content_stream().read()
            if record.digest_checker.passed is False:
                problems.append(
                    "%s: warcio digest problem: %s" % (path, list(record.digest_checker.problems))
                )
            seen.append(
                (
                    it.get_record_offset(),
                    it.get_record_length(),
                    record.rec_type,
                    record.rec_headers.get_header("WARC-Record-ID"),
                )
            )
    if seen != own:
        problems.append("%s: warcio sees other records than the gzip members:\n%s\n%s" % (path, seen, own))

    index_path = path[: -len(".warc.gz")] + ".cdxj"
    lines = open(index_path, encoding="utf-8").read().splitlines()
    if lines != sorted(lines):
        problems.append("%s: not sorted" % index_path)
    indexed = sorted(
        (int(j["offset"]), int(j["length"]))
        for j in (json.loads(line.split(" ", 2)[2]) for line in lines)
    )
    expected = sorted((o, l) for o, l, kind, _ in seen if kind in ("response", "revisit"))
    if indexed != expected:
        problems.append("%s: index offsets %s != warcio %s" % (index_path, indexed, expected))
    for line in lines:
        key, stamp, rest = line.split(" ", 2)
        j = json.loads(rest)
        if list(j) != ["url", "mime", "status", "digest", "length", "offset", "filename"]:
            problems.append("%s: unexpected fields %s" % (index_path, list(j)))
        if len(stamp) != 14 or not stamp.isdigit() or ")" not in key:
            problems.append("%s: bad key or timestamp in %r" % (index_path, line))
        if j["filename"] != os.path.basename(path):
            problems.append("%s: filename %s" % (index_path, j["filename"]))
    summary["indexed"] = len(lines)
    return summary


def main(paths):
    problems = []
    summaries = [check_file(p, problems) for p in paths]
    if problems:
        print("\n".join(problems))
        return 1
    print(json.dumps(summaries, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
