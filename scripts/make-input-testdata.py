#!/usr/bin/env python3
"""Writes the small synthetic input images of testdata/input/ (issue 8 part 3: every kind of real-world input).

Run with Debian's /usr/bin/python3 (numpy + Pillow, whose ImageCms wraps the LittleCMS 2 C library):
    /usr/bin/python3 scripts/make-input-testdata.py testdata/input

Everything is synthetic and deterministic. PNGs are written by the small writer below (not Pillow) so that
16-bit grey+alpha / RGBA, iCCP, eXIf and APNG chunks are exactly what the tests expect. The two ICC profiles
(an AdobeRGB-(1998)-like RGB profile and a gamma-1.8 grey profile) are written here from published primaries,
so there is no licence question. *-srgb-reference.png files are those images converted to sRGB by LittleCMS
(Pillow ImageCms): the independent reference the Java reader is compared with.
"""
import io
import os
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageCms

W, H = 64, 48


# ---------------------------------------------------------------- PNG writer
def chunk(kind, data):
    body = kind.encode('ascii') + data
    return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body) & 0xFFFFFFFF)


def raw_rows(a):
    """Filter type 0 per row; a is HxW[xC] uint8 or uint16 (written big-endian)."""
    a = np.asarray(a)
    if a.ndim == 2:
        a = a[:, :, None]
    if a.dtype == np.uint16:
        a = a.astype('>u2')
    rows = a.reshape(a.shape[0], -1).view(np.uint8)
    return b''.join(b'\x00' + rows[y].tobytes() for y in range(rows.shape[0]))


COLOR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> PNG colour type (grey, grey+alpha, RGB, RGBA)


def png(path, a, extra=b'', after_idat=b''):
    a = np.asarray(a)
    channels = 1 if a.ndim == 2 else a.shape[2]
    depth = 16 if a.dtype == np.uint16 else 8
    ihdr = struct.pack('>IIBBBBB', a.shape[1], a.shape[0], depth, COLOR_TYPE[channels], 0, 0, 0)
    data = (b'\x89PNG\r\n\x1a\n' + chunk('IHDR', ihdr) + extra
            + chunk('IDAT', zlib.compress(raw_rows(a), 9)) + after_idat + chunk('IEND', b''))
    with open(path, 'wb') as f:
        f.write(data)


# ---------------------------------------------------------------- ICC v2 profile writer
def s15(v):
    return struct.pack('>i', int(round(v * 65536)))


def xyz_tag(x, y, z):
    return b'XYZ ' + b'\0' * 4 + s15(x) + s15(y) + s15(z)


def curv_gamma(g):
    return b'curv' + b'\0' * 4 + struct.pack('>IH', 1, int(round(g * 256))) + b'\0\0'


def desc_tag(text):
    t = text.encode('ascii') + b'\0'
    return b'desc' + b'\0' * 4 + struct.pack('>I', len(t)) + t + struct.pack('>II', 0, 0) + struct.pack('>HB', 0, 0) + b'\0' * 67


def text_tag(text):
    return b'text' + b'\0' * 4 + text.encode('ascii') + b'\0'


D50 = (0.9642, 1.0, 0.8249)


def icc(space, tags):
    """space 'RGB ' or 'GRAY'; tags: list of (signature, bytes)."""
    table = struct.pack('>I', len(tags))
    offset = 128 + 4 + 12 * len(tags)
    body = b''
    entries = b''
    for sig, data in tags:
        while (offset + len(body)) % 4:
            body += b'\0'
        entries += sig.encode('ascii') + struct.pack('>II', offset + len(body), len(data))
        body += data
    size = 128 + len(table) + len(entries) + len(body)
    header = (struct.pack('>I', size) + b'lcms' + struct.pack('>I', 0x02100000) + b'mntr' + space.encode('ascii')
              + b'XYZ ' + struct.pack('>6H', 2026, 1, 1, 0, 0, 0) + b'acsp' + b'\0' * 4 + struct.pack('>I', 0)
              + b'\0' * 8 + b'\0' * 8 + struct.pack('>I', 0) + s15(D50[0]) + s15(D50[1]) + s15(D50[2])
              + b'\0' * 4 + b'\0' * 16)
    header += b'\0' * (128 - len(header))
    return header + table + entries + body


def adobe_like_profile():
    # Adobe RGB (1998) primaries, chromatically adapted to D50 as in Adobe's own profile; gamma 563/256.
    g = 563 / 256
    return icc('RGB ', [
        ('desc', desc_tag('sdc test AdobeRGB-like')),
        ('cprt', text_tag('Public domain test profile made by sdc scripts/make-input-testdata.py')),
        ('wtpt', xyz_tag(*D50)),
        ('rXYZ', xyz_tag(0.60974, 0.31111, 0.01947)),
        ('gXYZ', xyz_tag(0.20528, 0.62567, 0.06087)),
        ('bXYZ', xyz_tag(0.14919, 0.06322, 0.74457)),
        ('rTRC', curv_gamma(g)), ('gTRC', curv_gamma(g)), ('bTRC', curv_gamma(g)),
    ])


def gray18_profile():
    return icc('GRAY', [
        ('desc', desc_tag('sdc test Gray Gamma 1.8')),
        ('cprt', text_tag('Public domain test profile made by sdc scripts/make-input-testdata.py')),
        ('wtpt', xyz_tag(*D50)),
        ('kTRC', curv_gamma(1.8)),
    ])


def iccp(name, profile):
    return chunk('iCCP', name.encode('ascii') + b'\0\0' + zlib.compress(profile, 9))


def to_srgb(a, profile, mode):
    """Reference conversion by LittleCMS (Pillow ImageCms), relative colorimetric, to its built-in sRGB."""
    src = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    dst = ImageCms.createProfile('sRGB')
    t = ImageCms.buildTransform(src, dst, mode, 'RGB', renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    return np.asarray(ImageCms.applyTransform(Image.fromarray(a, mode), t))


# ---------------------------------------------------------------- images
def grey8():
    y, x = np.mgrid[0:H, 0:W]
    return ((x * 4 + y * 2 + 30) % 256).astype(np.uint8)  # mean near 129, the example


def grey16():
    y, x = np.mgrid[0:H, 0:W]
    # Steps of 1021 leave every remainder mod 257, so truncating v/257 instead of rounding shows.
    return ((x * 1021 + y * 37 + 5000) % 65536).astype(np.uint16)


def colours():
    y, x = np.mgrid[0:H, 0:W]
    return np.stack([(x * 4) % 256, (y * 5) % 256, ((x + y) * 3) % 256], axis=2).astype(np.uint8)


QUADRANTS = [(230, 20, 20), (20, 200, 20), (20, 20, 230), (240, 220, 20)]  # TL red, TR green, BL blue, BR yellow


def quadrants():
    a = np.zeros((H, W, 3), np.uint8)
    a[:H // 2, :W // 2] = QUADRANTS[0]
    a[:H // 2, W // 2:] = QUADRANTS[1]
    a[H // 2:, :W // 2] = QUADRANTS[2]
    a[H // 2:, W // 2:] = QUADRANTS[3]
    return Image.fromarray(a)


# How Pillow's exif_transpose turns stored pixels upright, per orientation; the stored image is the inverse.
INVERSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
           5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_270}


def exif_bytes(orientation):
    e = Image.Exif()
    e[0x0112] = orientation
    return e.tobytes()  # b'Exif\0\0' + TIFF structure


def stored(orientation):
    upright = quadrants()
    s = upright.transpose(INVERSE[orientation]) if orientation in INVERSE else upright.copy()
    # Check the inverse against Pillow's own reading of the tag.
    s.info['exif'] = exif_bytes(orientation)
    check = s.copy()
    check.getexif()[0x0112] = orientation
    from PIL import ImageOps
    assert np.array_equal(np.asarray(ImageOps.exif_transpose(check)), np.asarray(upright)), orientation
    return s


def main(out):
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)
    g8, g16 = grey8(), grey16()
    opaque8 = np.full((H, W), 255, np.uint8)
    png(p('grey8.png'), g8)
    png(p('grey16.png'), g16)
    png(p('grey8-alpha.png'), np.stack([g8, opaque8], axis=2))
    png(p('grey16-alpha.png'), np.stack([g16, np.full((H, W), 65535, np.uint16)], axis=2))
    Image.fromarray(g8, 'L').save(p('grey8.tif'))
    Image.fromarray(g16, 'I;16').save(p('grey16.tif'))
    Image.fromarray(g8, 'L').save(p('grey8.jpg'), quality=95)
    png(p('rgb.png'), np.stack([g8, g8, g8], axis=2))  # the same grey saved as RGB

    # 16-bit colour, rounding: every channel has remainders mod 257 above and below 128.
    rgb16 = np.stack([g16, (g16.astype(np.uint32) * 7 % 65536).astype(np.uint16), g16[::-1, ::-1]], axis=2)
    png(p('rgb16.png'), rgb16)

    # Alpha: fully transparent magenta, 8- and 16-bit; and a half-transparent ramp.
    magenta = np.zeros((H, W, 4), np.uint8)
    magenta[..., 0] = 255
    magenta[..., 2] = 255
    png(p('magenta-transparent.png'), magenta)
    png(p('magenta-transparent16.png'), magenta.astype(np.uint16) * 257)
    ramp = magenta.copy()
    ramp[..., 3] = (np.mgrid[0:H, 0:W][1] * 4).astype(np.uint8)
    png(p('magenta-alpha-ramp.png'), ramp)

    # ICC profiles: RGB AdobeRGB-like and Gray gamma 1.8, with LittleCMS's sRGB conversion as reference.
    c = colours()
    adobe = adobe_like_profile()
    with open(p('adobe-like.icc'), 'wb') as f:
        f.write(adobe)
    png(p('adobe-like.png'), c, extra=iccp('AdobeRGB-like', adobe))
    png(p('adobe-like-srgb-reference.png'), to_srgb(c, adobe, 'RGB'))
    Image.fromarray(c).save(p('adobe-like.tif'), icc_profile=adobe)
    Image.fromarray(c).save(p('adobe-like.jpg'), quality=98, icc_profile=adobe)
    # The JPEG's reference is its own decoded pixels (libjpeg, via Pillow) converted, so JPEG loss cancels out.
    png(p('adobe-like-jpg-srgb-reference.png'), to_srgb(np.asarray(Image.open(p('adobe-like.jpg')).convert('RGB')), adobe, 'RGB'))
    g18 = gray18_profile()
    png(p('grey-gamma18.png'), g8, extra=iccp('Gray-gamma-1.8', g18))
    png(p('grey-gamma18-srgb-reference.png'), to_srgb(g8, g18, 'L'))

    # EXIF orientation: the upright image has red / green / blue / yellow quadrants (TL, TR, BL, BR).
    quadrants().save(p('upright.png'))
    for o in range(1, 9):
        s = stored(o)
        s.save(p('orientation-%d.jpg' % o), quality=95, exif=exif_bytes(o))
    s6 = np.asarray(stored(6))
    png(p('orientation-6.png'), s6, extra=chunk('eXIf', exif_bytes(6)[6:]))
    Image.fromarray(s6).save(p('orientation-6.tif'), tiffinfo={0x0112: 6})
    # eXIf after IDAT (allowed by readers, and where some writers put it), and a WebP's EXIF chunk
    png(p('orientation-6-late.png'), s6, after_idat=chunk('eXIf', exif_bytes(6)[6:]))
    stored(6).save(p('orientation-6.webp'), lossless=True, exif=exif_bytes(6))

    # Animation: first frame red, then green and blue.
    frames = [Image.new('RGB', (W, H), col) for col in [(255, 0, 0), (0, 255, 0), (0, 0, 255)]]
    frames[0].save(p('animated.gif'), save_all=True, append_images=frames[1:], duration=100, loop=0)
    frames[0].save(p('pages.tif'), save_all=True, append_images=frames[1:])
    red = np.zeros((H, W, 3), np.uint8)
    red[..., 0] = 255
    green = np.zeros((H, W, 3), np.uint8)
    green[..., 1] = 255
    fctl = lambda seq: chunk('fcTL', struct.pack('>IIIIIHHBB', seq, W, H, 0, 0, 1, 10, 0, 0))
    png(p('animated.png'), red, extra=chunk('acTL', struct.pack('>II', 2, 0)) + fctl(0),
        after_idat=fctl(1) + chunk('fdAT', struct.pack('>I', 2) + zlib.compress(raw_rows(green), 9)))

    # WebP (libwebp through Pillow): lossless, so the pixels are exactly upright.png's / the magenta PNG's.
    quadrants().save(p('upright.webp'), lossless=True)
    Image.fromarray(magenta, 'RGBA').save(p('magenta-transparent.webp'), lossless=True, exact=True)
    frames[0].save(p('animated.webp'), save_all=True, append_images=frames[1:], duration=100, loop=0,
                   lossless=True)

    # 32-bit float grey (TIFF SampleFormat 3), a ramp from -0.25 to 1.5 along x: float TIFFs hold linear light
    # (raw converters, HDR tools), so sdc clips to 0..1 and encodes to sRGB; 0.5 becomes 188, not 128.
    Image.fromarray(np.tile(np.linspace(-0.25, 1.5, W, dtype=np.float32), (H, 1)), 'F').save(p('grey-float.tif'))

    # A header that lies: 16384 x 16384 16-bit RGBA, followed by a few bytes of pixel data.
    lie = struct.pack('>IIBBBBB', 16384, 16384, 16, 6, 0, 0, 0)
    data = (b'\x89PNG\r\n\x1a\n' + chunk('IHDR', lie) + chunk('IDAT', zlib.compress(b'\0' * 64, 9)) + chunk('IEND', b''))
    with open(p('lying-16384.png'), 'wb') as f:
        f.write(data)
    print('wrote', out, '; lying-16384.png is', len(data), 'bytes')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'testdata/input')
