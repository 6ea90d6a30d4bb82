#!/bin/sh
# Checks face_rule.py's PNG decoder against OpenCV, the harness's own codec:
# builds a small C++ program that reads each file exactly as
# core/image_io.cpp does (IMREAD_ANYCOLOR | IMREAD_ANYDEPTH, 16-bit scaled by
# 1/257, colour to RGB, alpha dropped) and prints its width, height,
# channels, sample sum and count; generates PNGs of every colour type and
# bit depth with random row filters; and compares. Needs g++ and OpenCV's
# headers (/usr/include/opencv4).
# usage: check_decoder.sh [EXTRA.png...]   exit 0 when every file agrees
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/opencv_mean.cpp" <<'CPP'
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
int main(int argc, char **argv)
{
    for (int a = 1; a < argc; a++) {
        cv::Mat m = cv::imread(argv[a], cv::IMREAD_ANYCOLOR | cv::IMREAD_ANYDEPTH);
        if (m.empty()) { std::printf("%s FAIL 0 0 0 0\n", argv[a]); continue; }
        if (m.depth() != CV_8U) {
            double scale = m.depth() == CV_16U ? 1.0 / 257.0 : 1.0;
            cv::Mat m8; m.convertTo(m8, CV_8U, scale); m = m8;
        }
        cv::Mat px;
        if (m.channels() == 1) px = m;
        else cv::cvtColor(m, px, m.channels() == 4 ? cv::COLOR_BGRA2RGB : cv::COLOR_BGR2RGB);
        unsigned long long s = 0, n = 0;
        for (int y = 0; y < px.rows; y++) {
            const unsigned char *p = px.ptr(y);
            for (int x = 0; x < px.cols * px.channels(); x++) { s += p[x]; n++; }
        }
        std::printf("%s %d %d %d %llu %llu\n", argv[a], px.cols, px.rows, px.channels(), s, n);
    }
}
CPP
g++ -O1 -I/usr/include/opencv4 "$work/opencv_mean.cpp" -o "$work/opencv_mean" \
    -lopencv_imgcodecs -lopencv_imgproc -lopencv_core
python3 - "$work" "$here" "$@" <<'PY'
import os, random, struct, subprocess, sys, zlib
work, here, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.path.insert(0, here)
import face_rule

def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)

def paeth(a, b, c):
    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)

def png(w, h, depth, colour, rows, rng, palette=None, trns=None):
    bpp = max(1, {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour] * depth // 8)
    raw, prev = bytearray(), bytes(len(rows[0]))
    for line in rows:
        f = rng.randrange(5)
        out = bytearray()
        for i, x in enumerate(line):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            out.append((x - [0, a, b, (a + b) >> 1, paeth(a, b, c)][f]) & 255)
        raw += bytes([f]) + out
        prev = line
    d = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))
    if palette: d += chunk(b"PLTE", palette)
    if trns: d += chunk(b"tRNS", trns)
    z = zlib.compress(bytes(raw), 9)
    return d + chunk(b"IDAT", z[:len(z) // 2]) + chunk(b"IDAT", z[len(z) // 2:]) + chunk(b"IEND", b"")

files = list(extra)
cases = [(0, 8), (0, 16), (0, 1), (0, 2), (0, 4), (2, 8), (2, 16), (3, 8), (3, 4), (3, 1),
         (4, 8), (4, 16), (6, 8), (6, 16)]
for seed in range(3):
    rng = random.Random(seed)
    for colour, depth in cases:
        w, h = rng.randrange(1, 40), rng.randrange(1, 40)
        spp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
        stride = (w * spp * depth + 7) // 8
        palette = trns = None
        if colour == 3:
            ne = min(rng.randrange(1, 257), 1 << depth)
            palette = bytes(rng.randrange(256) for _ in range(3 * ne))
            if rng.random() < 0.5: trns = bytes(rng.randrange(256) for _ in range(ne))
            per = 8 // depth
            rows = []
            for y in range(h):
                line = bytearray(stride)
                for x in range(w):
                    line[x // per] |= rng.randrange(ne) << (8 - depth * (x % per + 1))
                rows.append(bytes(line))
        else:
            smooth = rng.random() < 0.5
            rows = [bytes(((x * 7 + y * 3) & 255) if smooth else rng.randrange(256)
                          for x in range(stride)) for y in range(h)]
        name = os.path.join(work, "s%d_t%d_d%d.png" % (seed, colour, depth))
        open(name, "wb").write(png(w, h, depth, colour, rows, rng, palette, trns))
        files.append(name)
out = subprocess.run([os.path.join(work, "opencv_mean")] + files, capture_output=True,
                     text=True, check=True).stdout.splitlines()
bad = 0
for line in out:
    f, w, h, c, s, n = line.rsplit(" ", 5)
    W, H, C, samples = face_rule.decode_png(open(f, "rb").read())
    mine = (W, H, C, sum(samples), len(samples))
    if w == "FAIL" or mine != (int(w), int(h), int(c), int(s), int(n)) or \
            face_rule.mean_of(samples) != int(s) / int(n):
        bad += 1
        print("MISMATCH %s: opencv %s %s %s %s %s, face_rule %s" % (f, w, h, c, s, n, mine))
print("check_decoder: %d file(s), %d mismatch(es)" % (len(out), bad))
sys.exit(1 if bad else 0)
PY
