#!/usr/bin/python3
"""Writes the catalogue of malformed inputs (tests/bad-inputs/files), deterministic.

usage: /usr/bin/python3 tests/bad-inputs/make-bad-inputs.py

catalogue.txt (next to this script) lists every file with the error class Soundalike
must report for it; test-bad-inputs.c checks them.
"""
import io
import math
import os
import struct
import wave
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "files")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(99)
rp = rng.random((4, 1440)).astype("<f4")
ssd = rng.random((4, 168)).astype("<f4")
ids = np.array([11, 12, 13, 14], dtype="<i8")


def save(name, **arrays):
    np.savez(os.path.join(OUT, name), **arrays)


def good_bytes():
    buf = io.BytesIO()
    np.savez(buf, rp=rp, ssd=ssd, clip_id=ids)
    return bytearray(buf.getvalue())


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes(data))


def npy_bytes(header, payload=b""):
    h = header.encode()
    pad = (64 - (10 + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h + payload


def zip_with(members, method=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return bytearray(buf.getvalue())


def member_data_offset(data):
    return 30 + struct.unpack("<H", data[26:28])[0] + struct.unpack("<H", data[28:30])[0]


# ---- feature files ----
write("empty.npz", b"")
write("text.npz", b"rp,ssd,clip_id\n1,2,3\n")
g = good_bytes()
write("truncated-local-header.npz", g[:20])
write("truncated-in-data.npz", g[: len(g) // 2])
write("truncated-end-record.npz", g[:-10])
g = good_bytes()
g[member_data_offset(g) + 200] ^= 0x55
write("crc-mismatch.npz", g)
g = good_bytes()
g[8] = 12
i = g.find(b"PK\x01\x02")
while i >= 0:
    g[i + 10] = 12
    i = g.find(b"PK\x01\x02", i + 4)
write("method-bzip2.npz", g)
g = good_bytes()
i = g.find(b"PK\x01\x02")
while i >= 0:
    g[i + 8] |= 1
    i = g.find(b"PK\x01\x02", i + 4)
write("encrypted.npz", g)
g = good_bytes()
g[member_data_offset(g) + 1] = ord("X")
write("bad-magic.npz", g)
g = good_bytes()
g[member_data_offset(g) + 12] = ord("(")
write("bad-header-dict.npz", g)
save("float16.npz", rp=rp.astype("<f2"), ssd=ssd, clip_id=ids)
save("complex.npz", rp=rp.astype("<c8"), ssd=ssd, clip_id=ids)
save("three-d.npz", rp=rp.reshape(4, 1440, 1), ssd=ssd, clip_id=ids)
save("rp-integers.npz", rp=(rp * 100).astype("<i4"), ssd=ssd, clip_id=ids)
write("huge-shape.npz", zip_with({
    "rp.npy": npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 1608), }", b"\0" * 64),
    "clip_id.npy": npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", ids.tobytes())}))
write("overflowing-shape.npz", zip_with({
    "rp.npy": npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (9223372036854775807, 4), }"),
    "clip_id.npy": npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", ids.tobytes())}))
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("clip_id.npy", npy_bytes("{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", ids.tobytes()))
    z.writestr("rp.npy", b"\0" * 100)
b = bytearray(buf.getvalue())
i = b.find(b"PK\x01\x02", b.find(b"PK\x01\x02") + 4)  # the second entry: rp.npy
b[i + 24:i + 28] = struct.pack("<I", 0xFFFFFFF0)  # central directory: uncompressed size 4 GB
write("deflate-size-lie.npz", b)
buf = io.BytesIO()
np.savez_compressed(buf, rp=rp, ssd=ssd, clip_id=ids)
b = bytearray(buf.getvalue())
o = member_data_offset(b)
for k in range(o + 20, o + 80):
    b[k] ^= 0xA5
write("deflate-garbled.npz", b)
save("rows-differ.npz", rp=rp, ssd=ssd[:3], clip_id=ids)
x = rp.copy(); x[2, 100] = np.nan
save("nan.npz", rp=x, ssd=ssd, clip_id=ids)
x = ssd.copy(); x[1, 7] = -np.inf
save("inf.npz", rp=rp, ssd=x, clip_id=ids)
save("no-clip-id.npz", rp=rp, ssd=ssd)
save("clip-id-fractions.npz", rp=rp, ssd=ssd, clip_id=np.array([1.5, 2, 3, 4]))
save("clip-id-two-columns.npz", rp=rp, ssd=ssd, clip_id=np.stack([ids, ids], 1))
save("no-feature-arrays.npz", clip_id=ids, labels=np.arange(4))
save("zero-rows.npz", rp=rp[:0], ssd=ssd[:0], clip_id=ids[:0])

# ---- metadata files (joined with ../data/formats/small_f32.npz: ids 11..16) ----
def csv(name, text):
    write(name, text if isinstance(text, bytes) else text.encode())

csv("empty.csv", b"")
csv("no-clip-id-column.csv", ",id,title\n0,11,a\n")
csv("too-many-fields.csv", ",clip_id,title\n0,11,a\n1,12,b,extra\n")
csv("too-few-fields.csv", ",clip_id,title,artist\n0,11,a,x\n1,12\n")
csv("quote-never-closed.csv", ',clip_id,title\n0,11,"open\n1,12,b\n')
csv("stray-quote.csv", ',clip_id,title\n0,11,ab"c"d\n')
csv("latin-1.csv", ",clip_id,title\n0,11,caf\xe9\n".encode("latin-1"))
csv("nul-byte.csv", b",clip_id,title\n0,11,a\x00b\n")
csv("clip-id-text.csv", ",clip_id,title\n0,eleven,a\n")
csv("clip-id-empty.csv", ",clip_id,title\n0,,a\n")
csv("no-common-clip-id.csv", ",clip_id,title\n0,99,a\n1,98,b\n")
csv("only-bom.csv", b"\xef\xbb\xbf")

# ---- issue 12 (rel-core): hostile but legitimate files, and the next class of failure ----
# OK means: loads, and reads what numpy reads (test-reliability.py checks the rankings).
def npy_of(a):
    b = io.BytesIO()
    np.save(b, a)
    return b.getvalue()


def members(name, items, method=zipfile.ZIP_STORED):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the duplicate name
        with zipfile.ZipFile(os.path.join(OUT, name), "w", method) as z:
            for mname, data in items:
                z.writestr(mname, data)


members("duplicate-member.npz", [("rp.npy", npy_of(rp[::-1].copy())), ("ssd.npy", npy_of(ssd)),
                                 ("clip_id.npy", npy_of(ids)), ("rp.npy", npy_of(rp))])
members("readme-member.npz", [("README.txt", b"features of 4 clips\n"), ("rp.npy", npy_of(rp)),
                              ("ssd.npy", npy_of(ssd)), ("clip_id.npy", npy_of(ids))])
members("dir-entry.npz", [("sub/", b""), ("rp.npy", npy_of(rp)), ("ssd.npy", npy_of(ssd)),
                          ("clip_id.npy", npy_of(ids))])
save("extra-set.npz", rp=rp, ssd=ssd, clip_id=ids, tags=rng.random((4, 5)).astype("<f4"))
save("tiny-values.npz", rp=rp * np.float32(1e-30), ssd=ssd, clip_id=ids)
save("denormals.npz", rp=rp, ssd=(ssd * np.float32(1e-40)).astype("<f4"), clip_id=ids)
save("near-float-max.npz", rp=((rp.astype("<f8") - 0.5) * 6e38).astype("<f4"), ssd=ssd, clip_id=ids)
save("f64-beyond-float.npz", rp=rp.astype("<f8") * 1e-200, ssd=ssd.astype("<f8") * 1e200, clip_id=ids)
save("big-endian-fortran.npz", rp=np.asfortranarray(rp.astype(">f8")), ssd=ssd.astype(">f4"),
     clip_id=ids.astype(">i8"))
save("clip-id-column.npz", rp=rp, ssd=ssd, clip_id=ids.reshape(4, 1))
save("object-dtype.npz", rp=np.array([[object()]] * 4, dtype=object), ssd=ssd, clip_id=ids)
save("zero-columns.npz", rp=rp[:, :0], ssd=ssd, clip_id=ids)
x = rng.random((4, 5)).astype("<f4"); x[1, 1] = np.nan
save("extra-set-nan.npz", rp=rp, ssd=ssd, clip_id=ids, tags=x)
save("clip-id-beyond-int64.npz", rp=rp, ssd=ssd, clip_id=np.array([1, 2, 3, 2**64 - 1], dtype="<u8"))
save("clip-id-nan.npz", rp=rp, ssd=ssd, clip_id=np.array([1, 2, np.nan, 4]))
members("trailing-bytes.npz", [("rp.npy", npy_of(rp) + b"\0" * (1 << 20)), ("ssd.npy", npy_of(ssd)),
                               ("clip_id.npy", npy_of(ids))], zipfile.ZIP_DEFLATED)
members("only-readme.npz", [("README.txt", b"nothing here\n")])
csv("bom-crlf.csv", b"\xef\xbb\xbf,clip_id,title\r\n0,11,a\r\n1,12,\"b\r\nc\"\r\n")
csv("duplicate-clip-ids.csv", ",clip_id,title\n0,11,a\n1,11,b\n2,12,c\n")
csv("header-only.csv", ",clip_id,title\n")
buf = io.BytesIO()
with __import__("gzip").GzipFile(fileobj=buf, mode="wb", mtime=0) as gz:
    gz.write(b",clip_id,title\n0,11,a\n")
csv("gzip-compressed.csv", buf.getvalue())
csv("npz-as-csv.csv", bytes(good_bytes()[:64]))
csv("clip-id-hex.csv", ",clip_id,title\n0,0x0b,a\n")
csv("clip-id-nan.csv", ",clip_id,title\n0,nan,a\n")
csv("clip-id-inf.csv", ",clip_id,title\n0,inf,a\n")

# ---- audio files ----
write("garbage.mp3", bytes((k * 7919 + 13) % 256 for k in range(6000)))
write("empty.ogg", b"")
write("text.wav", b"This is a text file with a .wav name.\n" * 20)

def wav_bytes(seconds, rate=8000):
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack("<%dh" % int(seconds * rate),
                                  *[int(8000 * math.sin(k * 0.05)) for k in range(int(seconds * rate))]))
    return bytearray(buf.getvalue())

write("truncated-header.wav", wav_bytes(1)[:30])
write("too-short.wav", wav_bytes(2))
w = wav_bytes(1)
w[40:44] = struct.pack("<I", 0x7FFFFFF0)  # the data chunk claims 2 GB
write("size-lie.wav", w)

# ---- analysis: WAV headers the analysis refuses before decoding (issue 12) ----
def wav_header(channels, rate, data_size, payload=b"\0" * 1600, bits=16):
    align = max(channels, 1) * bits // 8
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * align, align, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", data_size)
    return b"RIFF" + struct.pack("<I", len(body) - 8 + len(payload) + 8) + body + payload

write("rate-1hz.wav", wav_header(1, 1, 880000))  # says 880 KB, holds 1.6 KB
write("rate-0hz.wav", wav_header(1, 0, 1600))
write("channels-0.wav", wav_header(0, 44100, 1600))
write("channels-200.wav", wav_header(200, 44100, 1600))
write("rate-2mhz.wav", wav_header(1, 2000000, 1600))
print("wrote", len(os.listdir(OUT)), "files to", OUT)
