"""The loopback face service's answers, as a function of the image alone.

Shared by server.py (which applies it to the PNG the http engine sends)
and expected.py (which applies it to the dataset's original files), so the
two can only agree or both be wrong. Python 3 standard library only.

The image the engine sends is not the original file: the harness decodes
the file with OpenCV (core/image_io.cpp: gray stays gray, colour becomes
RGB, alpha is dropped, 16-bit samples become round(v / 257)) and the
adapter encodes those pixels again. So the rule reads a PNG the way the
harness does and uses only what survives that round trip: the mean m of
every colour sample (alpha left out), which is the same for gray, RGB or
BGR of the same picture.

    m          = sum of the colour samples / their count   (a double)
    detect     one face, the whole image; confidence 0.99;
               female iff int(m * 1000) % 2 == 0, sex confidence 0.9;
               age = round(m) % 60 + 18
    verify     s = 1 - |m1 - m2| / 255   (symmetric; APIs in percent: 100 * s)
    embed      128 floats: v[k] = +-0.125 for k < 64 (sign of cos(m*(k+1)/40),
               + when it is 0), v[k] = 0 for k >= 64.

The embedding is made of exact binary fractions with |v| = 1 exactly, so
its cosine, dot product and L2 distance are exact in float32 and float64
alike, whatever order a BLAS adds them in: a replay file can hold exactly
the score the harness computes.
"""

import math
import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

FACE_CONFIDENCE = 0.99
SEX_CONFIDENCE = 0.9
EMBED_DIMENSION = 128


class PngError(ValueError):
    """The bytes are not a PNG this decoder reads."""


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _unfilter(raw, height, stride, bpp):
    """Undoes the five PNG row filters; returns the rows joined."""
    out = bytearray(height * stride)
    prev = bytearray(stride)
    at = 0
    for y in range(height):
        if at + 1 + stride > len(raw):
            raise PngError("image data ends early (row %d of %d)" % (y, height))
        ftype = raw[at]
        line = bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        if ftype == 0:
            pass
        elif ftype == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif ftype == 2:  # Up
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xFF
        elif ftype == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:  # Paeth
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                upleft = prev[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, prev[i], upleft)) & 0xFF
        else:
            raise PngError("row %d has unknown filter type %d" % (y, ftype))
        out[y * stride:(y + 1) * stride] = line
        prev = line
    if at != len(raw):
        raise PngError("%d bytes of image data after the last row" % (len(raw) - at))
    return bytes(out)


# colour type -> (samples per pixel, bit depths allowed)
_COLOUR_TYPES = {0: (1, (1, 2, 4, 8, 16)), 2: (3, (8, 16)), 3: (1, (1, 2, 4, 8)),
                 4: (2, (8, 16)), 6: (4, (8, 16))}


def decode_png(data):
    """Decodes a non-interlaced PNG into (width, height, channels, samples):
    samples is a bytes of 8-bit values, channels 1 (gray) or 3 (RGB, also
    for gray with alpha, as OpenCV reads it), alpha dropped, palettes expanded, 16-bit samples scaled as OpenCV does
    (round(v / 257)), gray below 8 bits scaled to 0-255 as libpng does."""
    if not data.startswith(PNG_SIGNATURE):
        raise PngError("not a PNG (bad signature)")
    at = len(PNG_SIGNATURE)
    ihdr = None
    palette = None
    idat = []
    while True:
        if len(data) - at < 12:
            raise PngError("truncated PNG (no IEND)")
        length, ctype = struct.unpack(">I4s", data[at:at + 8])
        if length > len(data) - at - 12:
            raise PngError("truncated PNG (chunk %r runs past the end)" % ctype)
        body = data[at + 8:at + 8 + length]
        crc, = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
            raise PngError("damaged PNG (chunk %r fails its CRC)" % ctype)
        at += 12 + length
        if ctype == b"IHDR":
            if length != 13:
                raise PngError("IHDR has length %d" % length)
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"PLTE":
            palette = body
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
    if ihdr is None:
        raise PngError("no IHDR chunk")
    width, height, depth, colour, compression, filt, interlace = ihdr
    if colour not in _COLOUR_TYPES or depth not in _COLOUR_TYPES[colour][1]:
        raise PngError("colour type %d with bit depth %d is not valid PNG" % (colour, depth))
    if compression != 0 or filt != 0:
        raise PngError("unknown compression or filter method")
    if interlace != 0:
        raise PngError("interlaced (Adam7) PNG is not read by this decoder")
    if width == 0 or height == 0:
        raise PngError("image is %dx%d" % (width, height))
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as e:
        raise PngError("image data does not inflate: %s" % e)
    spp = _COLOUR_TYPES[colour][0]
    bits = spp * depth
    stride = (width * bits + 7) // 8
    rows = _unfilter(raw, height, stride, max(1, bits // 8))

    if depth == 16:
        n = len(rows) // 2
        wide = struct.unpack(">%dH" % n, rows)
        # round(v / 257): v / 257 is never exactly k + 1/2 for an integer v
        eight = bytes((2 * v + 257) // 514 for v in wide)
    elif depth < 8:
        per_byte = 8 // depth
        mask = (1 << depth) - 1
        vals = bytearray()
        for y in range(height):
            line = rows[y * stride:(y + 1) * stride]
            for x in range(width):
                byte = line[x // per_byte]
                shift = 8 - depth * (x % per_byte + 1)
                vals.append((byte >> shift) & mask)
        if colour == 0:
            scale = 255 // mask
            eight = bytes(v * scale for v in vals)
        else:
            eight = bytes(vals)
    else:
        eight = rows

    if colour == 3:
        if palette is None or len(palette) % 3:
            raise PngError("palette image without a valid PLTE chunk")
        entries = len(palette) // 3
        out = bytearray()
        for index in eight:
            if index >= entries:
                raise PngError("palette index %d past the %d entries" % (index, entries))
            out += palette[3 * index:3 * index + 3]
        return width, height, 3, bytes(out)
    if colour == 0:
        return width, height, 1, eight
    if colour == 2:
        return width, height, 3, eight
    if colour == 4:  # gray + alpha: OpenCV gives BGRA, the harness RGB (gray thrice)
        out = bytearray(width * height * 3)
        out[0::3] = out[1::3] = out[2::3] = eight[0::2]
        return width, height, 3, bytes(out)
    # colour 6: RGBA -> RGB
    out = bytearray(width * height * 3)
    out[0::3] = eight[0::4]
    out[1::3] = eight[1::4]
    out[2::3] = eight[2::4]
    return width, height, 3, bytes(out)


def mean_of(samples):
    """The mean of 8-bit samples, exactly as one double (integer sum / count,
    correctly rounded)."""
    return sum(samples) / len(samples)


class Face:
    """What the rule says of one image."""

    def __init__(self, data):
        self.width, self.height, self.channels, samples = decode_png(data)
        self.mean = mean_of(samples)

    @property
    def female(self):
        return int(self.mean * 1000) % 2 == 0

    @property
    def age(self):
        return round(self.mean) % 60 + 18

    def embedding(self):
        return embedding(self.mean)


def face_of_file(path):
    with open(path, "rb") as f:
        return Face(f.read())


def similarity(m1, m2):
    """Verification similarity in [0, 1] of two means."""
    return 1 - abs(m1 - m2) / 255


def embedding(m):
    v = [0.0] * EMBED_DIMENSION
    for k in range(64):
        v[k] = 0.125 if math.cos(m * (k + 1) / 40) >= 0 else -0.125
    return v


def embedding_score(v1, v2, metric="cosine"):
    """The harness's score of two of these embeddings (shades_metric); exact,
    since both have norm 1 and every product is a multiple of 1/64."""
    dot = sum(a * b for a, b in zip(v1, v2))
    if metric in ("cosine", "dot"):
        return dot
    if metric == "neg_l2":
        return -math.sqrt(max(0.0, 1.0 + 1.0 - 2 * dot))
    raise ValueError("unknown metric %r" % metric)
